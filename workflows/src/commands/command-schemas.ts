/**
 * Every lifecycle command: its kebab-case name and the zod schema of its payload. The HTTP layer validates
 * with these too, so every string and array is bounded here. Ids the unit refers to later (alerts, plan
 * actions, discussions) are derived by the decider from the history, never sent in.
 */
import { z } from 'zod';
import {
  alertIdSchema,
  attendeeSchema,
  crimeReferenceSchema,
  discussionIdSchema,
  interventionSchema,
  isoDateSchema,
  isoDateTimeSchema,
  outcomeCodeSchema,
  planActionIdSchema,
  reasonSchema,
  referralIdSchema,
  screeningDecisionSchema,
  serviceSchema,
  shortTextSchema,
  srpSchema,
  staffRefSchema,
  stalkerTypeSchema,
  strategyKindSchema,
  triageDecisionSchema,
} from '@hru/events';
import { intakeBodySchema } from '../intake/intake-body.js';

export const riskAssessmentPayloadSchema = z
  .strictObject({
    assessedOn: isoDateSchema,
    dashYesCount: z.number().int().min(0).max(27).optional(),
    sdashAnswers: z.array(z.boolean()).length(11).optional(),
    srp: srpSchema.optional(),
    rationale: reasonSchema,
  })
  .refine((p) => p.dashYesCount !== undefined || p.sdashAnswers !== undefined || p.srp !== undefined, {
    message: 'record at least one of dashYesCount, sdashAnswers, srp',
  });

export const commandSchemas = {
  'receive-referral': intakeBodySchema,
  triage: z.strictObject({ decision: triageDecisionSchema, reason: reasonSchema }),
  screen: z.strictObject({ decision: screeningDecisionSchema, reason: reasonSchema }),
  'raise-urgent-action': z.strictObject({ reason: reasonSchema }),
  'acknowledge-urgent-action': z.strictObject({ alertId: alertIdSchema, note: reasonSchema.optional() }),
  /** Sent by the alert timer worker; `level` is the level this firing escalates to (1 for the first). */
  'escalate-urgent-action': z.strictObject({ alertId: alertIdSchema, level: z.number().int().min(1).max(20) }),
  'resolve-urgent-action': z.strictObject({ alertId: alertIdSchema, resolution: reasonSchema }),
  assign: z.strictObject({ assignee: staffRefSchema }),
  'schedule-case-discussion': z.strictObject({
    scheduledFor: isoDateTimeSchema,
    invitedAgencies: z.array(z.string().min(1).max(100)).max(30),
  }),
  'record-case-discussion': z.strictObject({
    /** The scheduled discussion this records; absent for a discussion held without scheduling. */
    discussionId: discussionIdSchema.optional(),
    heldAt: isoDateTimeSchema,
    attendees: z.array(attendeeSchema).min(1).max(30),
    decisions: z.array(shortTextSchema).min(1).max(30),
  }),
  'record-risk-assessment': riskAssessmentPayloadSchema,
  formulate: z.strictObject({ stalkerType: stalkerTypeSchema, rationale: reasonSchema }),
  'agree-management-plan': z.strictObject({
    actions: z
      .array(
        z.strictObject({
          kind: strategyKindSchema,
          description: shortTextSchema,
          owner: staffRefSchema,
          dueDate: isoDateSchema,
        }),
      )
      .min(1)
      .max(50),
  }),
  'complete-plan-action': z.strictObject({ actionId: planActionIdSchema, note: reasonSchema }),
  'direct-to-service': z.strictObject({ service: serviceSchema, reason: reasonSchema }),
  'record-advice': z.strictObject({ advice: reasonSchema }),
  'record-intervention': z.strictObject({ intervention: interventionSchema, occurredOn: isoDateSchema }),
  'record-crime-outcome': z.strictObject({
    crimeReference: crimeReferenceSchema,
    outcomeCode: outcomeCodeSchema,
    outcomeDate: isoDateSchema,
  }),
  'log-time': z.strictObject({
    agency: z.string().min(1).max(100),
    minutes: z.number().int().min(1).max(1_440),
    activity: z.string().trim().min(1).max(200),
  }),
  review: z.strictObject({ summary: reasonSchema, nextReviewDue: isoDateSchema.optional() }),
  close: z.strictObject({ reason: reasonSchema }),
  reopen: z.strictObject({ linkedReferralId: referralIdSchema, reason: reasonSchema }),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandPayload<K extends CommandName> = z.infer<(typeof commandSchemas)[K]>;
export const commandNames = Object.keys(commandSchemas) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandSchemas, name);
}
