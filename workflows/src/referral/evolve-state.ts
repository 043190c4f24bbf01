/**
 * Folds one stored event into the referral's data. Which stage the referral is in is the machine's
 * business (its state value); this only keeps the facts. Pure, and never mutates its input, because
 * cached snapshots share their context with the snapshots folded from them.
 */
import { actorIdOf, isErased, type ReferralEvent } from '@hru/events';
import type { ReferralState, UrgentActionState } from './referral-state.js';
import { foldDeadline, foldLegacyMeasure, foldMeasureStep, foldStepCorrection, measureKindOfEvent } from '../measures/fold-measures.js';

/** A `personal` section as written, not in its erased form. */
type Written<S> = Exclude<S, { erased: true }>;

/** A text field of an event's `personal` section, or null when the section reads erased (its key destroyed). */
function text<S extends object, K extends keyof Written<S>>(section: S, field: K): NonNullable<Written<S>[K]> | null {
  if (isErased(section)) return null;
  return (section as Written<S>)[field] ?? null;
}

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
        personal: updatedPersonal(state.personal, d.personal, d.changedFields),
      };
    }
    case 'TriageCompleted':
      return { ...state, triage: { decision: event.data.decision, reason: text(event.data.personal, 'reason'), at } };
    case 'ScreeningCompleted':
      return { ...state, screening: { decision: event.data.decision, reason: text(event.data.personal, 'reason'), at } };
    case 'UrgentActionRaised': {
      const d = event.data;
      const alert: UrgentActionState = {
        alertId: d.alertId,
        status: 'raised',
        level: 0,
        reason: text(d.personal, 'reason'),
        raisedBy: d.raisedBy,
        addressedTo: d.addressedTo,
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
      const held = { status: 'held' as const, heldAt: d.heldAt, attendees: d.attendees, decisions: text(d.personal, 'decisions') };
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
          { assessmentId: d.assessmentId, assessedOn: d.assessedOn, dashYesCount: d.dashYesCount, sdashAnswers: d.sdashAnswers, sdashYesCount, srp: d.srp, rationale: text(d.personal, 'rationale'), recordedAt: at },
        ],
      };
    }
    case 'FormulationRecorded': {
      const d = event.data;
      return {
        ...state,
        formulations: [...state.formulations, { formulationId: d.formulationId, stalkerType: d.stalkerType, rationale: text(d.personal, 'rationale'), supersedes: d.supersedes, recordedAt: at }],
      };
    }
    case 'ManagementPlanAgreed': {
      const descriptions = text(event.data.personal, 'descriptions');
      return {
        ...state,
        planCount: state.planCount + 1,
        plan: {
          planId: event.data.planId,
          agreedAt: at,
          actions: event.data.actions.map((a) => ({
            ...a,
            description: descriptions?.[a.actionId] ?? null,
            status: 'open',
            completedAt: null,
            note: null,
          })),
        },
      };
    }
    case 'PlanActionCompleted': {
      const { actionId } = event.data;
      const note = text(event.data.personal, 'note');
      if (!state.plan) return state;
      const actions = state.plan.actions.map((a) => (a.actionId === actionId ? { ...a, status: 'completed' as const, completedAt: at, note } : a));
      return { ...state, plan: { ...state.plan, actions } };
    }
    case 'DirectedToService':
      return { ...state, services: [...state.services, { service: event.data.service, reason: text(event.data.personal, 'reason'), at }] };
    case 'AdviceRecorded':
      return { ...state, advice: [...state.advice, { advice: text(event.data.personal, 'advice'), at }] };
    case 'InterventionRecorded': {
      const { interventionId, intervention, occurredOn } = event.data;
      const recorded = { ...state, interventions: [...state.interventions, { interventionId, intervention, occurredOn, recordedAt: at }] };
      return foldLegacyMeasure(recorded, intervention, occurredOn, at);
    }
    case 'SpoStepRecorded':
    case 'DvpoStepRecorded':
    case 'BailStepRecorded':
    case 'MappaStepRecorded':
    case 'DisclosureSchemeStepRecorded': {
      const d = event.data;
      return foldMeasureStep(state, measureKindOfEvent[event.type], d.measureId, d.step, d.at, at, text(d.personal, 'note'));
    }
    case 'MeasureStepCorrected':
      return foldStepCorrection(state, event.data.measureId, event.data.step, event.data.at, event.data.previousAt);
    case 'SuspectArrested':
      return { ...state, arrests: [...state.arrests, event.data.at] };
    case 'VictimContacted': {
      const d = event.data;
      return { ...state, victimContacts: [...state.victimContacts, { deadlineId: d.deadlineId, at: d.at, method: d.method, note: text(d.personal, 'note') }] };
    }
    case 'DeadlineSet':
    case 'DeadlineWarned':
    case 'DeadlineMissed':
    case 'DeadlineClosed':
      return foldDeadline(state, event, at);
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
      return { ...state, reviews: [...state.reviews, { summary: text(event.data.personal, 'summary'), nextReviewDue: event.data.nextReviewDue, at }] };
    case 'ReferralClosed':
      return { ...state, closed: { reason: text(event.data.personal, 'reason'), closedFrom: event.data.closedFrom, at }, closures: state.closures + 1 };
    case 'ReferralReopened':
      return {
        ...state,
        closed: null,
        reopenings: [...state.reopenings, { linkedReferralId: event.data.linkedReferralId, reason: text(event.data.personal, 'reason'), at }],
      };
    case 'ReferralDisclosed': {
      const added = event.data.agencies.filter((a, i, all) => !state.disclosedTo.includes(a) && all.indexOf(a) === i);
      return { ...state, disclosedTo: [...state.disclosedTo, ...added] };
    }
    case 'PartyErased':
      return eraseCase(state, (partyId) => partyId === event.data.partyId);
    case 'RetentionReviewed': {
      const { decision, mopiGroup, nextReviewDue } = event.data;
      const reviewed = { ...state, retention: { decision, mopiGroup, nextReviewDue, at } };
      return decision === 'dispose' ? eraseCase(reviewed, () => true) : reviewed;
    }
    case 'CounterfactualHarmRecorded': {
      const { harmId, harm, perspectives, weight } = event.data;
      const recordedBy = actorIdOf(event.metadata.actor);
      const recorded = { harmId, harm, perspectives, weight, reason: text(event.data.personal, 'reason'), recordedBy, recordedAt: at, withdrawnAt: null };
      return { ...state, counterfactualHarms: [...state.counterfactualHarms, recorded] };
    }
    case 'CounterfactualHarmWithdrawn':
      return { ...state, counterfactualHarms: state.counterfactualHarms.map((h) => (h.harmId === event.data.harmId ? { ...h, withdrawnAt: at } : h)) };
    default: {
      const never: never = event;
      throw new Error(`unhandled event ${JSON.stringify(never)}`);
    }
  }
}

/** A details update: the narrative and the people each replaced only when the update says they changed. */
function updatedPersonal(
  before: ReferralState['personal'],
  update: ReferralState['personal'],
  changed: readonly string[],
): ReferralState['personal'] {
  const people = changed.includes('people') ? update.people : before.people;
  const narrative = changed.includes('summary') ? update : before;
  if (isErased(narrative)) return { erased: true, people };
  return narrative.summary === undefined ? { people } : { summary: narrative.summary, people };
}

/**
 * The folded view of a destroyed key: the people whose key went read as erased, and ALL the case's free text (under
 * the case key, destroyed with any party's) reads null, as a later read of the log decrypts it.
 */
function eraseCase(state: ReferralState, erased: (partyId: string) => boolean): ReferralState {
  const people = state.personal.people.map((p) => (erased(p.partyId) ? { partyId: p.partyId, erased: true as const } : p));
  const decision = <R extends { reason: string | null }>(record: R | null): R | null => (record ? { ...record, reason: null } : null);
  return {
    ...state,
    personal: { erased: true, people },
    triage: decision(state.triage),
    screening: decision(state.screening),
    urgentActions: state.urgentActions.map((a) => ({ ...a, reason: null })),
    caseDiscussions: state.caseDiscussions.map((c) => ({ ...c, decisions: c.status === 'held' ? null : c.decisions })),
    riskAssessments: state.riskAssessments.map((r) => ({ ...r, rationale: null })),
    formulations: state.formulations.map((f) => ({ ...f, rationale: null })),
    plan: state.plan && { ...state.plan, actions: state.plan.actions.map((a) => ({ ...a, description: null, note: null })) },
    services: state.services.map((s) => ({ ...s, reason: null })),
    advice: state.advice.map((a) => ({ ...a, advice: null })),
    reviews: state.reviews.map((r) => ({ ...r, summary: null })),
    measures: state.measures.map((m) => ({ ...m, steps: m.steps.map((s) => ({ ...s, note: null })) })),
    victimContacts: state.victimContacts.map((c) => ({ ...c, note: null })),
    counterfactualHarms: state.counterfactualHarms.map((h) => ({ ...h, reason: null })),
    closed: decision(state.closed),
    reopenings: state.reopenings.map((r) => ({ ...r, reason: null })),
  };
}
