import { describe, expect, it } from 'vitest';
import { allowedCommands, measureCommandNames, referralIdFor } from '@hru/workflows';
import { given, history } from './support/decider-spec.js';
import { agreePlan, close, raise, receive, recordDiscussion, reopen, screen, toManagement, triage } from './support/referral-commands.js';

const referralId = referralIdFor('niche', 'CC/26/000123');
const assess = (srp: Record<string, string>) => ({
  name: 'record-risk-assessment' as const,
  payload: { assessedOn: '2026-11-27', dashYesCount: 15, srp, rationale: 'Escalating contact; access to victim' },
});
const srpHigh = { violence: 'high', persistence: 'high', recurrence: 'moderate', psychosocialDamage: 'low' };
const formulate = (stalkerType: string) => ({ name: 'formulate' as const, payload: { stalkerType, rationale: 'After separation' } });

describe('given an adopted referral awaiting its case discussion', () => {
  const adopted = history(receive(), triage('proceed'), screen('adopt'));

  it('schedules the discussion with numbered ids', () => {
    given(adopted)
      .when({ name: 'schedule-case-discussion', payload: { scheduledFor: '2026-11-27T14:00:00Z', invitedAgencies: ['police', 'nhs'] } })
      .then({ type: 'CaseDiscussionScheduled', data: { discussionId: 'cd1' } });
  });

  it('records a held discussion by agency', () => {
    given(adopted).when(recordDiscussion()).then({ type: 'CaseDiscussionHeld', data: { discussionId: 'cd1', attendees: [{ agency: 'police', count: 1 }, { agency: 'nhs' }] } });
  });

  it('refuses to record a discussion that was never scheduled under that id', () => {
    given(adopted)
      .when({ name: 'record-case-discussion', payload: { discussionId: 'cd7', heldAt: '2026-11-27T14:00:00Z', attendees: [{ agency: 'police', discipline: 'police' }], decisions: ['x'] } })
      .thenRejected('CommandNotAllowedError', /never scheduled/);
  });

  it('cannot agree a plan before the discussion', () => {
    given(adopted).when(agreePlan()).thenRejected('CommandNotAllowedError');
  });
});

describe('given a case discussion held', () => {
  const discussed = history(receive(), triage('proceed'), screen('adopt'), recordDiscussion());

  it('records a risk assessment, marked as an assessment', () => {
    given(discussed).when(assess(srpHigh)).then({ type: 'RiskAssessmentRecorded', data: { assessmentId: 'ra1', srp: srpHigh, dashYesCount: 15, sdashAnswers: null } });
  });

  it('a later formulation supersedes the earlier one', () => {
    given(history(receive(), triage('proceed'), screen('adopt'), recordDiscussion(), formulate('not_yet_formulated')))
      .when(formulate('rejected'))
      .then({ type: 'FormulationRecorded', data: { formulationId: 'f2', stalkerType: 'rejected', supersedes: 'f1' } });
  });

  it('agreeing a plan numbers its actions', () => {
    given(discussed)
      .when(agreePlan())
      .then(
        { type: 'ManagementPlanAgreed', data: { planId: 'p1', actions: [{ actionId: 'p1.a1', kind: 'victim_safety_planning' }, { actionId: 'p1.a2', kind: 'legal_proceedings' }] } },
        // A plan carries its review date (issue 17): a clock at the plan-review cadence.
        { type: 'DeadlineSet', data: { kind: 'plan_review', clock: 'plan_review', owner: 'supervisor' } },
      );
  });

  it('directing to a service is the other outcome of the clinic', () => {
    given(discussed).when({ name: 'direct-to-service', payload: { service: 'marac', reason: 'DASH 15' } }).then({ type: 'DirectedToService', data: { service: 'marac' } });
  });
});

describe('given a case under management', () => {
  const managed = history(...toManagement);

  it('completes a plan action once', () => {
    given(managed).when({ name: 'complete-plan-action', payload: { actionId: 'p1.a1', note: 'Plan in place' } }).then({ type: 'PlanActionCompleted' });
    given(history(...toManagement, { name: 'complete-plan-action', payload: { actionId: 'p1.a1', note: 'done' } }))
      .when({ name: 'complete-plan-action', payload: { actionId: 'p1.a1', note: 'again' } })
      .thenRejected('CommandNotAllowedError', /already completed/);
  });

  it('records interventions of each kind with numbered ids', () => {
    given(managed)
      .when({ name: 'record-intervention', payload: { intervention: { kind: 'victim_advocate_contact', outcome: 'engaged' }, occurredOn: '2026-11-28' } })
      .then({ type: 'InterventionRecorded', data: { interventionId: 'i1', intervention: { kind: 'victim_advocate_contact', outcome: 'engaged' } } });
    given(managed)
      .when({ name: 'record-intervention', payload: { intervention: { kind: 'spo_applied', order: 'interim' }, occurredOn: '2026-11-28' } })
      .then({ type: 'InterventionRecorded' });
  });

  it('records a crime outcome as a Home Office code', () => {
    given(managed)
      .when({ name: 'record-crime-outcome', payload: { crimeReference: 'CC/26/000123', outcomeCode: '16', outcomeDate: '2027-02-01' } })
      .then({ type: 'CrimeOutcomeRecorded', data: { outcomeCode: '16' } });
  });

  it('reviews, logs time, reassigns, and revises the plan', () => {
    given(managed)
      .when({ name: 'review', payload: { summary: 'Contact stopped' } })
      .then({ type: 'CaseReviewed', data: { nextReviewDue: null } }, { type: 'DeadlineClosed', data: { deadlineId: 'd1', outcome: 'met' } }, { type: 'DeadlineSet', data: { deadlineId: 'd2', kind: 'plan_review' } });
    given(managed).when({ name: 'log-time', payload: { agency: 'nhs', minutes: 90, activity: 'formulation' } }).then({ type: 'TimeLogged' });
    given(managed).when({ name: 'assign', payload: { assignee: { sub: 'u-off', agency: 'police' } } }).then({ type: 'ReferralAssigned' });
    // A new plan moves the review the last one set.
    given(managed).when(agreePlan()).then({ type: 'ManagementPlanAgreed', data: { planId: 'p2' } }, { type: 'DeadlineSet', data: { deadlineId: 'd1', version: 2 } });
  });

  it('closes with the reason and the stage it closed from', () => {
    given(managed)
      .when(close())
      .then({ type: 'ReferralClosed', data: { closedFrom: 'under_management', personal: { reason: 'Risk reduced; plan complete' } } }, { type: 'DeadlineClosed', data: { deadlineId: 'd1', outcome: 'cancelled' } });
  });

  it('cannot close while an urgent action awaits acknowledgement', () => {
    const urgent = given(history(...toManagement, raise()));
    expect(allowedCommands(urgent.snapshot)).not.toContain('close');
    urgent.when(close()).thenRejected('CommandNotAllowedError');
  });
});

describe('given a closed case', () => {
  const closed = history(...toManagement, close());
  const newReferral = referralIdFor('niche', 'CC/27/000999');

  it('accepts only reopening, intake repeats, late crime outcomes and the retention review', () => {
    // Legal measures and their clocks run on after closure (bail outlives the case).
    expect(allowedCommands(given(closed).snapshot).sort()).toEqual(['receive-referral', 'record-crime-outcome', 'reopen', 'review-retention', ...measureCommandNames].sort());
    given(closed).when({ name: 'log-time', payload: { agency: 'police', minutes: 5, activity: 'x' } }).thenRejected('CommandNotAllowedError');
  });

  it('reopens with the new referral linked, back to triage', () => {
    given(closed).when(reopen(newReferral)).then({ type: 'ReferralReopened', data: { referralId, linkedReferralId: newReferral } });
    const reopened = given(history(...toManagement, close(), reopen(newReferral)));
    expect(allowedCommands(reopened.snapshot)).toContain('triage');
    expect(reopened.snapshot.context.reopenings).toHaveLength(1);
  });

  it('refuses a link to itself', () => {
    given(closed).when(reopen(referralId)).thenRejected('CommandNotAllowedError', /itself/);
  });
});

describe('given a closed referral', () => {
  const closed = history(receive(), triage('proceed'), screen('adopt'), recordDiscussion(), agreePlan(), close());

  it('still records a crime outcome that arrives after closure (the statistics need it), and stays closed', () => {
    given(closed)
      .when({ name: 'record-crime-outcome', payload: { crimeReference: 'CC/26/000123', outcomeCode: '1', outcomeDate: '2027-03-01' } })
      .then({ type: 'CrimeOutcomeRecorded', data: { outcomeCode: '1' } });
  });

  it('refuses casework after closure', () => {
    given(closed).when({ name: 'review', payload: { summary: 'checking in' } }).thenRejected('CommandNotAllowedError');
  });
});
