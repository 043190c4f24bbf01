import { z } from 'zod';
import { staffRoles, justificationSchema } from '@hru/events';

export const referralIdParams = z.object({
  id: z.string().regex(/^ref-[0-9a-f]{32}$/, 'a referral id (ref- and 32 hex digits)'),
});

/** Reads of personal data must say why (DPA 2018 s62); the reason goes to the access log. */
export const justificationHeaders = z.object({
  'x-justification': justificationSchema.describe('Why you need this personal data; recorded in the access log'),
});

export const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d+"?$/, 'a revision as given in the ETag, e.g. "4"')
    .optional()
    .describe('The revision you last saw (ETag); a stale one gets 412'),
});

export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return Number(value.replace(/^W\//, '').replaceAll('"', ''));
}

export function etag(revision: number): string {
  return `"${revision}"`;
}

/** Every staff role: routes open to all staff say so with this list, explicitly. */
export const allStaff = staffRoles;

/** The roles that read personal data: every staff role but admin, who runs the system and reads none. */
export const personalDataReaders = staffRoles.filter((role) => role !== 'admin');
