/**
 * Commands of the multi-agency clinic: case discussions, the formulation, the management plan and its
 * actions. Ids of things referred to later are numbered from the history, so they are deterministic.
 */
import { z } from 'zod';
import {
  attendeeSchema,
  discussionIdSchema,
  isoDateSchema,
  isoDateTimeSchema,
  planActionIdSchema,
  reasonSchema,
  shortTextSchema,
  staffRefSchema,
  stalkerTypeSchema,
  strategyKindSchema,
} from '@hru/events';
import { Decided } from '../deadlines/decided.js';
import { setClock } from '../deadlines/deadline-effects.js';
import { recordClockStep } from '../measures/record-step.js';
import { draft } from '../referral/decision.js';
import { caseworkers, clinicLeads, defineCommand } from './command.js';

export const scheduleCaseDiscussion = defineCommand({
  summary: 'Schedule the multi-agency case discussion',
  roles: clinicLeads,
  schema: z.strictObject({ scheduledFor: isoDateTimeSchema, invitedAgencies: z.array(z.string().min(1).max(100)).max(30) }),
  decide: ({ state, command }) => [
    draft('CaseDiscussionScheduled', {
      referralId: state.referralId,
      discussionId: `cd${state.caseDiscussions.length + 1}`,
      scheduledFor: command.payload.scheduledFor,
      invitedAgencies: command.payload.invitedAgencies,
    }),
  ],
});

export const recordCaseDiscussion = defineCommand({
  summary: 'Record a case discussion: attendees by agency and decisions',
  roles: clinicLeads,
  schema: z.strictObject({
    /** The scheduled discussion this records; absent for a discussion held without scheduling. */
    discussionId: discussionIdSchema.optional(),
    heldAt: isoDateTimeSchema,
    attendees: z.array(attendeeSchema).min(1).max(30),
    decisions: z.array(shortTextSchema).min(1).max(30),
  }),
  decide: ({ state, command }) => {
    const { discussionId, heldAt, attendees, decisions } = command.payload;
    if (discussionId !== undefined) {
      const scheduled = state.caseDiscussions.find((c) => c.discussionId === discussionId);
      if (!scheduled) return { rejected: `Case discussion ${discussionId} was never scheduled` };
      if (scheduled.status === 'held') return { rejected: `Case discussion ${discussionId} is already recorded` };
    }
    return [
      draft('CaseDiscussionHeld', {
        referralId: state.referralId,
        discussionId: discussionId ?? `cd${state.caseDiscussions.length + 1}`,
        heldAt,
        attendees: attendees.map((a) => ({ agency: a.agency, discipline: a.discipline, count: a.count })),
        personal: { decisions },
      }),
    ];
  },
});

export const formulate = defineCommand({
  summary: 'Formulate the stalker’s motivational type (supersedes the previous formulation)',
  roles: ['psychologist', 'clinician'],
  schema: z.strictObject({ stalkerType: stalkerTypeSchema, rationale: reasonSchema }),
  decide: ({ state, command }) => [
    draft('FormulationRecorded', {
      referralId: state.referralId,
      formulationId: `f${state.formulations.length + 1}`,
      stalkerType: command.payload.stalkerType,
      supersedes: state.formulations.at(-1)?.formulationId ?? null,
      personal: { rationale: command.payload.rationale },
    }),
  ],
});

const planActionSchema = z.strictObject({ kind: strategyKindSchema, description: shortTextSchema, owner: staffRefSchema, dueDate: isoDateSchema });

export const agreeManagementPlan = defineCommand({
  summary: 'Agree the management plan: actions of the six strategy kinds',
  roles: clinicLeads,
  schema: z.strictObject({ actions: z.array(planActionSchema).min(1).max(50) }),
  decide: ({ state, command }) => {
    const planId = `p${state.planCount + 1}`;
    const actions = command.payload.actions.map(({ description, ...a }, i) => ({ actionId: `${planId}.a${i + 1}`, ...a, description }));
    const b = new Decided(state, command.meta);
    b.add(
      draft('ManagementPlanAgreed', {
        referralId: state.referralId,
        planId,
        actions: actions.map(({ description: _description, ...a }) => a),
        // The descriptions say what is to be done about people: under `personal`, by action id.
        personal: { descriptions: Object.fromEntries(actions.map((a) => [a.actionId, a.description])) },
      }),
    );
    // A plan carries its review date: a new plan moves the review the last one had.
    setClock(b, { kind: 'plan_review', clock: 'plan_review', measureId: null, trigger: command.meta.now, startedBy: null, moves: true }, recordClockStep);
    return b.events;
  },
});

export const completePlanAction = defineCommand({
  summary: 'Complete a plan action',
  roles: caseworkers,
  schema: z.strictObject({ actionId: planActionIdSchema, note: reasonSchema }),
  decide: ({ state, command }) => {
    const { actionId, note } = command.payload;
    const action = state.plan?.actions.find((a) => a.actionId === actionId);
    if (!action) return { rejected: `Plan action ${actionId} is not in the current plan` };
    if (action.status === 'completed') return { rejected: `Plan action ${actionId} is already completed` };
    return [draft('PlanActionCompleted', { referralId: state.referralId, actionId, personal: { note } })];
  },
});
