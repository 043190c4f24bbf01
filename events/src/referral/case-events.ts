/** Casework events: assignment, case discussions, the management plan, services, advice, reviews, staff time. */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { referralIdSchema } from './events.js';
import {
  isoDateSchema,
  isoDateTimeSchema,
  reasonSchema,
  serviceSchema,
  shortTextSchema,
  staffRefSchema,
  strategyKindSchema,
} from './values.js';

export const ReferralAssigned = defineEvent(
  'ReferralAssigned',
  z.strictObject({ referralId: referralIdSchema, assignee: staffRefSchema }),
);

export const discussionIdSchema = z.string().regex(/^cd[0-9]{1,4}$/, 'a case discussion id (cd and a number)');

export const CaseDiscussionScheduled = defineEvent(
  'CaseDiscussionScheduled',
  z.strictObject({
    referralId: referralIdSchema,
    discussionId: discussionIdSchema,
    scheduledFor: isoDateTimeSchema,
    invitedAgencies: z.array(z.string().min(1).max(100)).max(30),
  }),
);

export const attendeeSchema = z.strictObject({
  agency: z.string().min(1).max(100),
  /** e.g. police, forensic psychology, clinical, advocacy, probation, or a case-specific invitee. */
  discipline: z.string().min(1).max(100),
  count: z.number().int().min(1).max(50).default(1),
});

export const CaseDiscussionHeld = defineEvent(
  'CaseDiscussionHeld',
  z.strictObject({
    referralId: referralIdSchema,
    discussionId: discussionIdSchema,
    heldAt: isoDateTimeSchema,
    attendees: z.array(attendeeSchema).min(1).max(30),
    decisions: z.array(shortTextSchema).min(1).max(30),
  }),
);

export const planActionIdSchema = z.string().regex(/^p[0-9]{1,4}\.a[0-9]{1,3}$/, 'a plan action id (p1.a1)');

export const planActionSchema = z.strictObject({
  actionId: planActionIdSchema,
  kind: strategyKindSchema,
  description: shortTextSchema,
  owner: staffRefSchema,
  dueDate: isoDateSchema,
});

/** A plan is agreed whole; a later plan supersedes the earlier one (its open actions lapse). */
export const ManagementPlanAgreed = defineEvent(
  'ManagementPlanAgreed',
  z.strictObject({
    referralId: referralIdSchema,
    planId: z.string().regex(/^p[0-9]{1,4}$/),
    actions: z.array(planActionSchema).min(1).max(50),
  }),
);

export const PlanActionCompleted = defineEvent(
  'PlanActionCompleted',
  z.strictObject({ referralId: referralIdSchema, actionId: planActionIdSchema, note: reasonSchema }),
);

export const DirectedToService = defineEvent(
  'DirectedToService',
  z.strictObject({ referralId: referralIdSchema, service: serviceSchema, reason: reasonSchema }),
);

/** Advice-only path: the unit reviewed the case and advised the investigating officer. */
export const AdviceRecorded = defineEvent(
  'AdviceRecorded',
  z.strictObject({ referralId: referralIdSchema, advice: reasonSchema }),
);

export const CaseReviewed = defineEvent(
  'CaseReviewed',
  z.strictObject({
    referralId: referralIdSchema,
    summary: reasonSchema,
    nextReviewDue: isoDateSchema.nullable(),
  }),
);

/** Staff time per agency per case, for the value-for-money figures (DOMAIN.md §5). */
export const TimeLogged = defineEvent(
  'TimeLogged',
  z.strictObject({
    referralId: referralIdSchema,
    agency: z.string().min(1).max(100),
    minutes: z.number().int().min(1).max(1_440),
    activity: z.string().trim().min(1).max(200),
  }),
);

/**
 * The referral was shared with partner agencies under a recorded gateway (POST /v1/referrals/:id/disclosures).
 * The agencies named here may read the referral from then on; who received it by name, and why, are in the
 * access log's disclosure entry (recipients can name people, so they stay out of the referral's stream).
 */
export const ReferralDisclosed = defineEvent(
  'ReferralDisclosed',
  z.strictObject({
    referralId: referralIdSchema,
    agencies: z.array(z.string().min(1).max(100)).min(1).max(20),
    gateway: z.string().min(1).max(200),
  }),
);
