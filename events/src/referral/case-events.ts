/** Casework events: assignment, case discussions, the management plan, services, advice, reviews, staff time. */
import { z } from 'zod';
import { defineEvent } from '../envelope.js';
import { personalSection } from '../personal.js';
import { movedToPersonal } from './move-to-personal.js';
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
    personal: personalSection({ decisions: z.array(shortTextSchema).min(1).max(30) }),
  }),
  { version: 2, upcasters: [movedToPersonal(1, 'decisions')] },
);

export const planActionIdSchema = z.string().regex(/^p[0-9]{1,4}\.a[0-9]{1,3}$/, 'a plan action id (p1.a1)');

/** A plan action's facts; what it is to do, in words, is in the event's `personal.descriptions` by action id. */
export const planActionSchema = z.strictObject({
  actionId: planActionIdSchema,
  kind: strategyKindSchema,
  owner: staffRefSchema,
  dueDate: isoDateSchema,
});

/**
 * A plan is agreed whole; a later plan supersedes the earlier one (its open actions lapse). Version 2 moved each
 * action's `description` to `personal.descriptions`, keyed by action id: a reader joins them by id, not by
 * position, so an action without its description (or the reverse) is visible rather than silently shifted.
 */
export const ManagementPlanAgreed = defineEvent(
  'ManagementPlanAgreed',
  z.strictObject({
    referralId: referralIdSchema,
    planId: z.string().regex(/^p[0-9]{1,4}$/),
    actions: z.array(planActionSchema).min(1).max(50),
    personal: personalSection({ descriptions: z.record(planActionIdSchema, shortTextSchema) }),
  }),
  {
    version: 2,
    upcasters: [
      {
        fromVersion: 1,
        upcast: (data) => {
          const old = data as { actions: { actionId: string; description: string }[] } & Record<string, unknown>;
          const descriptions = Object.fromEntries(old.actions.map((a) => [a.actionId, a.description]));
          const actions = old.actions.map(({ description: _description, ...action }) => action);
          return { ...old, actions, personal: { descriptions } };
        },
      },
    ],
  },
);

export const PlanActionCompleted = defineEvent(
  'PlanActionCompleted',
  z.strictObject({ referralId: referralIdSchema, actionId: planActionIdSchema, personal: personalSection({ note: reasonSchema }) }),
  { version: 2, upcasters: [movedToPersonal(1, 'note')] },
);

export const DirectedToService = defineEvent(
  'DirectedToService',
  z.strictObject({ referralId: referralIdSchema, service: serviceSchema, personal: personalSection({ reason: reasonSchema }) }),
  { version: 2, upcasters: [movedToPersonal(1, 'reason')] },
);

/** Advice-only path: the unit reviewed the case and advised the investigating officer. */
export const AdviceRecorded = defineEvent(
  'AdviceRecorded',
  z.strictObject({ referralId: referralIdSchema, personal: personalSection({ advice: reasonSchema }) }),
  { version: 2, upcasters: [movedToPersonal(1, 'advice')] },
);

export const CaseReviewed = defineEvent(
  'CaseReviewed',
  z.strictObject({
    referralId: referralIdSchema,
    nextReviewDue: isoDateSchema.nullable(),
    personal: personalSection({ summary: reasonSchema }),
  }),
  { version: 2, upcasters: [movedToPersonal(1, 'summary')] },
);

/** Staff time per agency per case, for the value-for-money figures (DOMAIN.md §5). */
export const TimeLogged = defineEvent(
  'TimeLogged',
  z.strictObject({
    referralId: referralIdSchema,
    agency: z.string().min(1).max(100),
    minutes: z.number().int().min(1).max(1_440),
    /** What the time was spent on, in words (it can describe people): under `personal` since version 2. */
    personal: personalSection({ activity: z.string().trim().min(1).max(200) }),
  }),
  { version: 2, upcasters: [movedToPersonal(1, 'activity')] },
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
