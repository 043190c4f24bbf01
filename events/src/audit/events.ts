/**
 * The access log of Data Protection Act 2018 s62: every consultation (read) of a referral's personal data and
 * every disclosure, with the justification. Who and when travel in the metadata (actor, occurredAt).
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';

/**
 * `person`: a subject access export or an erasure; `research_extract`: the pseudonymised extract, across referrals;
 * `perpetrator`: a perpetrator's page (their referrals across cases); `case_search`: a search of cases by a person's
 * name or source reference (one entry per case found).
 */
export const accessedResourceSchema = z.enum(['referral', 'history', 'state', 'export', 'person', 'research_extract', 'perpetrator', 'case_search']);
export type AccessedResource = z.infer<typeof accessedResourceSchema>;

/**
 * What a justification must hold to count as one: at least three visible characters once whitespace, control and
 * format characters and the blank-looking fillers (Hangul fillers, braille blank, variation selectors…) are set
 * aside. Such characters may appear inside a justification; they cannot make one up.
 */
const invisible = /[\s\p{Z}\p{Cc}\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;
export function visibleLength(text: string): number {
  return [...text.replace(invisible, '')].length;
}

/**
 * A justification as a caller gives it (the `X-Justification` header, a disclosure's body, `hru replay`): kept
 * byte-exact (never trimmed or normalised), refused when empty, blank or invisible, or when it holds control
 * characters.
 */
export const justificationSchema = z
  .string()
  .max(1_000)
  .refine((text) => !/\p{Cc}/u.test(text), { message: 'must not contain control characters' })
  .refine((text) => visibleLength(text) >= 3, { message: 'must say why, in at least 3 visible characters (blank or invisible text is refused)' });

/** A justification as stored: entries written before the rules above tightened still read back. */
export const storedJustificationSchema = z.string().min(1).max(1_000);

export const PersonalDataAccessed = defineEvent(
  'PersonalDataAccessed',
  z.strictObject({
    /** The referral read, or `*` for a read across referrals (the research extract, a person's export). */
    referralId: z.string().min(1).max(100),
    /** The person concerned, for reads and erasures of one person's data (export, erasure). */
    partyId: z.string().min(1).max(64).optional(),
    resource: accessedResourceSchema,
    /** s62: consultation (a read), disclosure (with recipients), erasure. */
    kind: z.enum(['consultation', 'disclosure', 'erasure']),
    justification: storedJustificationSchema,
    /** For a disclosure: who received the data, and the legal gateway it was shared under. */
    recipients: z.array(z.string().min(1).max(200)).max(20).default([]),
    gateway: z.string().min(1).max(200).optional(),
    /** The id the server gave the request (never the caller's). */
    requestId: z.string().min(1).max(100),
    /** The caller's own `X-Request-Id`, when it sent a well-formed one; null otherwise (and on v1 entries). */
    clientRequestId: z.string().min(1).max(100).nullable(),
  }),
  {
    version: 2,
    // v1 had no client id: its requestId may have been the caller's, but which cannot be told now.
    upcasters: [{ fromVersion: 1, upcast: (data) => ({ ...(data as Record<string, unknown>), clientRequestId: null }) }],
  },
);

export const auditEventDefinitions = [PersonalDataAccessed] as const;

/** Access-log entries are kept in one stream per UTC day: short streams, easy retention review. */
export const ACCESS_LOG_STREAM_PREFIX = 'access-log-';
export function accessLogStreamFor(at: Date): string {
  return ACCESS_LOG_STREAM_PREFIX + at.toISOString().slice(0, 10);
}
