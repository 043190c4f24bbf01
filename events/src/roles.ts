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
  /**
   * The data protection officer: erases a person, exports what is held about them (subject access), reviews
   * retention and draws the pseudonymised research extract. Reads no case through the caseworkers' routes.
   */
  'data_protection',
  'admin',
] as const;

/** Roles that read no case's personal data through the casework routes: admin runs the system, data protection works on people. */
export const nonCaseReaders = ['admin', 'data_protection'] as const satisfies readonly (typeof staffRoles)[number][];

export const roleSchema = z.enum(staffRoles);
export type Role = z.infer<typeof roleSchema>;
