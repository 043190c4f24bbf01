/**
 * Serial perpetrators (issue #21): staff record that two suspect party ids are the same person (and may take that
 * back), and the multi-agency tasking meeting records a decision per perpetrator. Neither lives in a referral's
 * stream: a link joins two people across cases, and a meeting decides about people, not about one crime.
 *
 * Streams: `party-link-<a>-<b>` per pair of party ids (sorted, so either order names the one stream: a link and its
 * undoing are checked against each other with optimistic concurrency), and `tasking-<meetingDate>-<partyId>` per
 * meeting and perpetrator. Free text (why two ids are one person, why the meeting decided so) is under `personal`,
 * sealed under the stream's own case key, and `personal.people` names the people it is about (ids only): their keys
 * in the stream make it one of their cases, so erasing any of them destroys the stream's key and the text with it,
 * and their subject access export includes it. A stream per perpetrator, not per meeting, so that erasing one
 * person erases nobody else's decision.
 */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSectionWithPeople } from '../personal.js';
import { partyIdSchema } from '../referral/data-protection-events.js';
import { isoDateSchema, reasonSchema } from '../referral/values.js';

export const PARTY_LINK_STREAM_PREFIX = 'party-link-';
export const TASKING_STREAM_PREFIX = 'tasking-';

/** The one stream of a pair of party ids, whichever order they are given in. */
export function partyLinkStreamFor(a: string, b: string): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return `${PARTY_LINK_STREAM_PREFIX}${low}-${high}`;
}

/** The stream of one meeting's decision about one perpetrator (a meeting is held once a day at most). */
export function taskingStreamFor(meetingOn: string, partyId: string): string {
  return `${TASKING_STREAM_PREFIX}${meetingOn}-${partyId}`;
}

/** The why of a link, an unlink or a tasking decision: free text about the people named (by id only) beside it. */
export const perpetratorReasonSectionSchema = personalSectionWithPeople({ reason: reasonSchema });

const pairShape = {
  /** The lower of the two ids (as strings), so one pair has one form. */
  partyId: partyIdSchema,
  /** The higher of the two ids. */
  samePersonAs: partyIdSchema,
};

/** Staff recorded that two suspect party ids (from two source systems, say) are one person. Who and when: the metadata. */
export const PartiesLinked = defineEvent(
  'PartiesLinked',
  z.strictObject({ ...pairShape, personal: perpetratorReasonSectionSchema }),
);

/** Staff took a link back: the two ids are counted as two people again from then on. */
export const PartiesUnlinked = defineEvent(
  'PartiesUnlinked',
  z.strictObject({ ...pairShape, personal: perpetratorReasonSectionSchema }),
);

export const taskingDecisionSchema = z.enum(['adopt', 'not_adopt', 'defer']);
export type TaskingDecision = z.infer<typeof taskingDecisionSchema>;

/** Who attended the meeting, by agency: counts, not names (names of staff stay out of events). */
export const taskingAttendeesSchema = z
  .array(z.strictObject({ agency: z.string().trim().min(1).max(100), count: z.number().int().min(1).max(50) }))
  .min(1)
  .max(30)
  .refine((rows) => new Set(rows.map((r) => r.agency)).size === rows.length, { message: 'each agency once' });

/**
 * The meeting's decision about one perpetrator. It records the score and the scoring configuration's version the
 * meeting saw: the score informs a human decision and never acts on its own (DPA 2018 Part 3 ss49-50), and the
 * record shows what the people deciding were shown.
 */
export const TaskingDecisionRecorded = defineEvent(
  'TaskingDecisionRecorded',
  z.strictObject({
    meetingOn: isoDateSchema,
    partyId: partyIdSchema,
    decision: taskingDecisionSchema,
    score: z.number().min(0).max(1_000_000),
    configVersion: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, 'a configuration version'),
    attendees: taskingAttendeesSchema,
    personal: perpetratorReasonSectionSchema,
  }),
);

export const perpetratorEventDefinitions = [PartiesLinked, PartiesUnlinked, TaskingDecisionRecorded] as const;
