/** How long a referral should wait at each queue, as configuration (DOMAIN.md marks local practice as such). */
import { z } from 'zod';

export const queueNames = ['triage', 'screening', 'awaiting_case_discussion', 'reviews_due'] as const;
export type QueueName = (typeof queueNames)[number];

export const stageTargetsSchema = z.strictObject({
  /** Days from arrival to a triage decision. */
  triage: z.number().nonnegative().default(1),
  /** Days from triage to a screening decision. */
  screening: z.number().nonnegative().default(5),
  /** Days from adoption to the first case discussion. */
  awaiting_case_discussion: z.number().nonnegative().default(28),
  /** Days a review may run past its due date. */
  reviews_due: z.number().nonnegative().default(0),
});
export type StageTargets = z.infer<typeof stageTargetsSchema>;

export const defaultStageTargets: StageTargets = stageTargetsSchema.parse({});
