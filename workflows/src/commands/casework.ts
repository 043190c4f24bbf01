/**
 * Decisions of casework: assignment, case discussions, assessments, the plan, interventions, outcomes,
 * staff time. Ids of things referred to later are numbered from the history, so they are deterministic.
 */
import { draft, type Decider } from '../referral/decision.js';

export const decideAssign: Decider<'assign'> = ({ state, command }) => [
  draft('ReferralAssigned', { referralId: state.referralId, assignee: command.payload.assignee }),
];

export const decideScheduleCaseDiscussion: Decider<'schedule-case-discussion'> = ({ state, command }) => [
  draft('CaseDiscussionScheduled', {
    referralId: state.referralId,
    discussionId: `cd${state.caseDiscussions.length + 1}`,
    scheduledFor: command.payload.scheduledFor,
    invitedAgencies: command.payload.invitedAgencies,
  }),
];

export const decideRecordCaseDiscussion: Decider<'record-case-discussion'> = ({ state, command }) => {
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
      decisions,
    }),
  ];
};

export const decideRecordRiskAssessment: Decider<'record-risk-assessment'> = ({ state, command }) => {
  const p = command.payload;
  return [
    draft('RiskAssessmentRecorded', {
      referralId: state.referralId,
      assessmentId: `ra${state.riskAssessments.length + 1}`,
      assessedOn: p.assessedOn,
      dashYesCount: p.dashYesCount ?? null,
      sdashAnswers: p.sdashAnswers ?? null,
      srp: p.srp ?? null,
      rationale: p.rationale,
    }),
  ];
};

export const decideFormulate: Decider<'formulate'> = ({ state, command }) => [
  draft('FormulationRecorded', {
    referralId: state.referralId,
    formulationId: `f${state.formulations.length + 1}`,
    stalkerType: command.payload.stalkerType,
    rationale: command.payload.rationale,
    supersedes: state.formulations.at(-1)?.formulationId ?? null,
  }),
];

export const decideAgreeManagementPlan: Decider<'agree-management-plan'> = ({ state, command }) => {
  const planId = `p${state.planCount + 1}`;
  return [
    draft('ManagementPlanAgreed', {
      referralId: state.referralId,
      planId,
      actions: command.payload.actions.map((a, i) => ({ actionId: `${planId}.a${i + 1}`, ...a })),
    }),
  ];
};

export const decideCompletePlanAction: Decider<'complete-plan-action'> = ({ state, command }) => {
  const { actionId, note } = command.payload;
  const action = state.plan?.actions.find((a) => a.actionId === actionId);
  if (!action) return { rejected: `Plan action ${actionId} is not in the current plan` };
  if (action.status === 'completed') return { rejected: `Plan action ${actionId} is already completed` };
  return [draft('PlanActionCompleted', { referralId: state.referralId, actionId, note })];
};

export const decideRecordIntervention: Decider<'record-intervention'> = ({ state, command }) => [
  draft('InterventionRecorded', {
    referralId: state.referralId,
    interventionId: `i${state.interventions.length + 1}`,
    intervention: command.payload.intervention,
    occurredOn: command.payload.occurredOn,
  }),
];

export const decideRecordCrimeOutcome: Decider<'record-crime-outcome'> = ({ state, command }) => [
  draft('CrimeOutcomeRecorded', { referralId: state.referralId, ...command.payload }),
];

export const decideLogTime: Decider<'log-time'> = ({ state, command }) => [
  draft('TimeLogged', { referralId: state.referralId, ...command.payload }),
];
