/**
 * Data protection events of a referral (DPA 2018 Part 3): a person's erasure and the retention review (MoPI).
 * Both destroy keys (crypto-shredding); the events say that it happened, and why it happened is in the
 * access log (erasure) or under `personal` (a review's reason), never in clear text here.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSection } from '../personal.js';
import { referralIdSchema } from './events.js';
import { isoDateSchema, reasonSchema } from './values.js';

export const partyIdSchema = z.string().regex(/^pty-[0-9a-f]{24}$/, 'a party id (pty- and 24 hex digits)');

/**
 * A person of this referral was erased: their key is destroyed, and with it the case's free text (it describes
 * them). Appended to every referral the person is a party of; the request's justification is in the access log.
 */
export const PartyErased = defineEvent(
  'PartyErased',
  z.strictObject({ referralId: referralIdSchema, partyId: partyIdSchema }),
);

export const mopiGroupSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type MopiGroup = z.infer<typeof mopiGroupSchema>;

/**
 * A retention review (MoPI): retain until the next review, or dispose. Disposal destroys the case's key and the
 * keys of every party named in `disposedParties`; the stream keeps its non-personal facts, so statistics and
 * the hash chains stay whole.
 */
export const RetentionReviewed = defineEvent(
  'RetentionReviewed',
  z.strictObject({
    referralId: referralIdSchema,
    decision: z.enum(['retain', 'dispose']),
    mopiGroup: mopiGroupSchema,
    /** Retain: when the case is next due for review. Dispose: null. */
    nextReviewDue: isoDateSchema.nullable(),
    /** Dispose: every party of the case (their keys are destroyed). Retain: empty. */
    disposedParties: z.array(partyIdSchema).max(20),
    personal: personalSection({ reason: reasonSchema }),
  }),
);
