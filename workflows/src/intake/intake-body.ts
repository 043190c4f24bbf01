/**
 * The intake contract of `POST /v1/referrals` (ARCHITECTURE.md §4) and the deterministic ids derived from
 * it. Hashing is not I/O: the same crime always maps to the same referral and the same person to the
 * same party, which makes intake idempotent and lets re-offending be traced across referrals.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  intakeRiskSchema,
  offencesSchema,
  problemBehaviourSchema,
  normaliseCrimeReference,
  riskIndicatorSchema,
  sourceInputSchema,
} from '@hru/events';

const personRefSchema = z.string().min(1).max(100);
const nameSchema = z.string().trim().min(1).max(200);

export const intakeBodySchema = z.strictObject({
  source: sourceInputSchema,
  offences: offencesSchema,
  problemBehaviour: problemBehaviourSchema,
  summary: z.string().max(20_000),
  victim: z.strictObject({ ref: personRefSchema, name: nameSchema, dateOfBirth: z.iso.date().optional() }),
  suspect: z.strictObject({ ref: personRefSchema, name: nameSchema }),
  risk: intakeRiskSchema,
  indicators: z.array(riskIndicatorSchema).max(20),
});
export type IntakeBody = z.infer<typeof intakeBodySchema>;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `ref-` + the first 32 hex digits of sha256(system NUL crimeReference): the business key as a stream id. The
 * reference is normalised first, so both cases of one crime are one referral; an upper-case reference (and a
 * referral created from one before normalising) keeps the id it always had.
 */
export function referralIdFor(system: string, crimeReference: string): string {
  return `ref-${sha256Hex(`${system}\u0000${normaliseCrimeReference(crimeReference)}`).slice(0, 32)}`;
}

/** A stable party id per person of a source system: no name in it, the same across that person's cases. */
export function partyIdFor(system: string, personRef: string): string {
  return `pty-${sha256Hex(`${system}\u0000person\u0000${personRef}`).slice(0, 24)}`;
}
