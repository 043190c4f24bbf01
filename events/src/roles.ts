/** Staff roles of the unit (DOMAIN.md §7). Source systems are not a role: they authenticate with API keys. */
import { z } from 'zod';

export const staffRoles = [
  'supervisor',
  'officer',
  'psychologist',
  'clinician',
  'victim_advocate',
  'probation',
  'auditor',
  'admin',
] as const;

export const roleSchema = z.enum(staffRoles);
export type Role = z.infer<typeof roleSchema>;
