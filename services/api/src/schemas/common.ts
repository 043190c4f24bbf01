import { z } from 'zod';
import { nonCaseReaders, staffRoles, justificationSchema } from '@hru/events';

export const referralIdParams = z.object({
  id: z.string().regex(/^ref-[0-9a-f]{32}$/, 'a referral id (ref- and 32 hex digits)'),
});

/** What a read without the header is told: what is missing, why it is asked for, and what to send. */
export const JUSTIFICATION_MISSING =
  'X-Justification is missing: every read of personal data is logged with the reason for it (Data Protection Act 2018 s62), ' +
  'so say why you need this data, e.g. "X-Justification: triage of a new referral"';

/** Reads of personal data must say why (DPA 2018 s62); the reason goes to the access log. */
export const justificationHeaders = z.object({
  'x-justification': z
    .string({ error: (issue) => (issue.input === undefined ? JUSTIFICATION_MISSING : undefined) })
    .pipe(justificationSchema)
    .describe('Why you need this personal data; recorded in the access log (Data Protection Act 2018 s62)'),
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

/**
 * The roles that read a case's personal data: every staff role but admin (runs the system, reads none) and data
 * protection (works on people through /v1/people, not on cases).
 */
export const personalDataReaders = staffRoles.filter((role) => !(nonCaseReaders as readonly string[]).includes(role));
