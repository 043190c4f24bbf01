/**
 * Folds one stored event into the referral's data. Which stage the referral is in is the machine's
 * business (its state value); this only keeps the facts. Pure, and never mutates its input, because
 * cached snapshots share their context with the snapshots folded from them.
 */
import type { ReferralEvent } from '@hru/events';
import type { ReferralState, UrgentActionState } from './referral-state.js';

function updateAlert(state: ReferralState, alertId: string, change: (a: UrgentActionState) => UrgentActionState): ReferralState {
  return { ...state, urgentActions: state.urgentActions.map((a) => (a.alertId === alertId ? change(a) : a)) };
}

export function evolveState(state: ReferralState, event: ReferralEvent): ReferralState {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'ReferralReceived': {
      const d = event.data;
      return {
        ...state,
        referralId: d.referralId,
        source: d.source,
        offences: d.offences,
        problemBehaviour: d.problemBehaviour,
        parties: d.parties,
        intakeRisk: d.risk,
        indicators: d.indicators,
        receivedAt: at,
        personal: d.personal,
      };
    }
    case 'ReferralDetailsUpdated': {
      const d = event.data;
      return {
        ...state,
        source: state.source && d.recordedAt ? { ...state.source, recordedAt: d.recordedAt } : state.source,
        offences: d.offences ?? state.offences,
        problemBehaviour: d.problemBehaviour ?? state.problemBehaviour,
        parties: d.parties ?? state.parties,
        intakeRisk: d.risk ?? state.intakeRisk,
        indicators: d.indicators ?? state.indicators,
        personal: {
          summary: d.changedFields.includes('summary') ? d.personal.summary : state.personal.summary,
          people: d.changedFields.includes('people') ? d.personal.people : state.personal.people,
        },
      };
    }
    case 'TriageCompleted':
      return { ...state, triage: { decision: event.data.decision, reason: event.data.reason, at } };
    case 'ScreeningCompleted':
      return { ...state, screening: { decision: event.data.decision, reason: event.data.reason, at } };
    case 'UrgentActionRaised': {
      const d = event.data;
      const alert: UrgentActionState = {
        alertId: d.alertId,
        status: 'raised',
        level: 0,
        reason: d.reason,
        raisedBy: d.raisedBy,
        rules: d.rules,
        raisedAt: at,
        ackDueAt: d.ackDueAt,
        acknowledgedAt: null,
        resolvedAt: null,
      };
      return { ...state, urgentActions: [...state.urgentActions, alert] };
    }
    case 'UrgentActionAcknowledged':
      return updateAlert(state, event.data.alertId, (a) => ({ ...a, status: 'acknowledged', acknowledgedAt: at, ackDueAt: null }));
    case 'UrgentActionEscalated': {
      const { level, nextAckDueAt } = event.data;
      return updateAlert(state, event.data.alertId, (a) => ({ ...a, level, ackDueAt: nextAckDueAt }));
    }
    case 'UrgentActionResolved':
      return updateAlert(state, event.data.alertId, (a) => ({ ...a, status: 'resolved', resolvedAt: at, ackDueAt: null }));
    case 'ReferralAssigned':
      return { ...state, assignee: event.data.assignee };
    case 'CaseDiscussionScheduled': {
      const d = event.data;
      return {
        ...state,
        caseDiscussions: [
          ...state.caseDiscussions,
          { discussionId: d.discussionId, status: 'scheduled', scheduledFor: d.scheduledFor, invitedAgencies: d.invitedAgencies, heldAt: null, attendees: [], decisions: [] },
        ],
      };
    }
    case 'CaseDiscussionHeld': {
      const d = event.data;
      const held = { status: 'held' as const, heldAt: d.heldAt, attendees: d.attendees, decisions: d.decisions };
      const known = state.caseDiscussions.some((c) => c.discussionId === d.discussionId);
      return {
        ...state,
        caseDiscussions: known
          ? state.caseDiscussions.map((c) => (c.discussionId === d.discussionId ? { ...c, ...held } : c))
          : [...state.caseDiscussions, { discussionId: d.discussionId, scheduledFor: null, invitedAgencies: [], ...held }],
      };
    }
    case 'RiskAssessmentRecorded': {
      const d = event.data;
      const sdashYesCount = d.sdashAnswers ? d.sdashAnswers.filter(Boolean).length : null;
      return {
        ...state,
        riskAssessments: [
          ...state.riskAssessments,
          { assessmentId: d.assessmentId, assessedOn: d.assessedOn, dashYesCount: d.dashYesCount, sdashAnswers: d.sdashAnswers, sdashYesCount, srp: d.srp, rationale: d.rationale, recordedAt: at },
        ],
      };
    }
    case 'FormulationRecorded': {
      const d = event.data;
      return {
        ...state,
        formulations: [...state.formulations, { formulationId: d.formulationId, stalkerType: d.stalkerType, rationale: d.rationale, supersedes: d.supersedes, recordedAt: at }],
      };
    }
    case 'ManagementPlanAgreed':
      return {
        ...state,
        planCount: state.planCount + 1,
        plan: {
          planId: event.data.planId,
          agreedAt: at,
          actions: event.data.actions.map((a) => ({ ...a, status: 'open', completedAt: null, note: null })),
        },
      };
    case 'PlanActionCompleted': {
      const { actionId, note } = event.data;
      if (!state.plan) return state;
      const actions = state.plan.actions.map((a) => (a.actionId === actionId ? { ...a, status: 'completed' as const, completedAt: at, note } : a));
      return { ...state, plan: { ...state.plan, actions } };
    }
    case 'DirectedToService':
      return { ...state, services: [...state.services, { service: event.data.service, reason: event.data.reason, at }] };
    case 'AdviceRecorded':
      return { ...state, advice: [...state.advice, { advice: event.data.advice, at }] };
    case 'InterventionRecorded': {
      const { interventionId, intervention, occurredOn } = event.data;
      return { ...state, interventions: [...state.interventions, { interventionId, intervention, occurredOn, recordedAt: at }] };
    }
    case 'CrimeOutcomeRecorded': {
      const { crimeReference, outcomeCode, outcomeDate } = event.data;
      const others = state.crimeOutcomes.filter((o) => o.crimeReference !== crimeReference);
      return { ...state, crimeOutcomes: [...others, { crimeReference, outcomeCode, outcomeDate }] };
    }
    case 'TimeLogged': {
      const { agency, minutes } = event.data;
      const byAgency = { ...state.timeLogged.byAgency, [agency]: (state.timeLogged.byAgency[agency] ?? 0) + minutes };
      return { ...state, timeLogged: { totalMinutes: state.timeLogged.totalMinutes + minutes, byAgency } };
    }
    case 'CaseReviewed':
      return { ...state, reviews: [...state.reviews, { summary: event.data.summary, nextReviewDue: event.data.nextReviewDue, at }] };
    case 'ReferralClosed':
      return { ...state, closed: { reason: event.data.reason, closedFrom: event.data.closedFrom, at }, closures: state.closures + 1 };
    case 'ReferralReopened':
      return {
        ...state,
        closed: null,
        reopenings: [...state.reopenings, { linkedReferralId: event.data.linkedReferralId, reason: event.data.reason, at }],
      };
    case 'ReferralDisclosed': {
      const added = event.data.agencies.filter((a, i, all) => !state.disclosedTo.includes(a) && all.indexOf(a) === i);
      return { ...state, disclosedTo: [...state.disclosedTo, ...added] };
    }
    case 'PartyErased':
      return { ...state, personal: erasePeople(state.personal, (partyId) => partyId === event.data.partyId) };
    case 'RetentionReviewed': {
      const { decision, mopiGroup, nextReviewDue } = event.data;
      const reviewed = { ...state, retention: { decision, mopiGroup, nextReviewDue, at } };
      return decision === 'dispose' ? { ...reviewed, personal: erasePeople(state.personal, () => true) } : reviewed;
    }
    default: {
      const never: never = event;
      throw new Error(`unhandled event ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The folded view of a destroyed key: the people whose key went read as erased, and the case's narrative (under the
 * case key, destroyed with any party's) is gone. A later read of the log decrypts to the same.
 */
function erasePeople(personal: ReferralState['personal'], erased: (partyId: string) => boolean): ReferralState['personal'] {
  return { people: personal.people.map((p) => (erased(p.partyId) ? { partyId: p.partyId, erased: true as const } : p)) };
}
