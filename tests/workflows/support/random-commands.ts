/**
 * Valid payloads for every command, chosen by a seed, so fast-check can drive the machine through
 * long, varied lives (and shrink a failure to a short one).
 */
import type { CommandName, ReferralSnapshot } from '@hru/workflows';
import type { When } from './decider-spec.js';
import { intakeBody } from './referral-commands.js';

const pick = <T>(items: readonly T[], seed: number): T => items[seed % items.length]!;

const staff = [
  { sub: 'u-off', agency: 'police' },
  { sub: 'u-psy', agency: 'nhs' },
];
const interventions = [
  { kind: 'spo_advised' },
  { kind: 'spo_applied', order: 'interim' },
  { kind: 'spo_granted', order: 'full' },
  { kind: 'mappa_support', category: 1, level: 2 },
  { kind: 'da_disclosure_to_probation' },
  { kind: 'victim_advocate_contact', outcome: 'declined' },
  { kind: 'therapeutic_intervention_started' },
  { kind: 'tactical_review' },
  { kind: 'direct_constable_intervention' },
];

export function payloadFor(name: CommandName, seed: number, snapshot: ReferralSnapshot): unknown {
  const state = snapshot.context;
  const alertId = `${state.referralId}.ua${1 + (seed % (state.urgentActions.length + 1))}`;
  switch (name) {
    case 'receive-referral':
      // Mostly the same facts (idempotent repeats), sometimes new ones that may match a rule.
      return intakeBody(pick([{}, {}, { indicators: ['weapon'] }, { risk: { dashYesCount: 20 } }, { summary: `update ${seed}` }], seed));
    case 'triage':
      return { decision: pick(['proceed', 'proceed', 'not_stalking', 'out_of_scope'], seed), reason: 'r' };
    case 'screen':
      return { decision: pick(['adopt', 'adopt', 'advice_only', 'no_added_value'], seed), reason: 'r' };
    case 'raise-urgent-action':
      return { reason: 'urgent' };
    case 'acknowledge-urgent-action':
      return { alertId, note: 'seen' };
    case 'escalate-urgent-action':
      return { alertId, level: 1 + (seed % 4) };
    case 'resolve-urgent-action':
      return { alertId, resolution: 'done' };
    case 'assign':
      return { assignee: pick(staff, seed) };
    case 'schedule-case-discussion':
      return { scheduledFor: '2026-12-01T10:00:00Z', invitedAgencies: ['police'] };
    case 'record-case-discussion': {
      const scheduled = state.caseDiscussions.filter((c) => c.status === 'scheduled');
      const discussionId = seed % 2 === 0 && scheduled.length > 0 ? { discussionId: pick(scheduled, seed).discussionId } : {};
      return { ...discussionId, heldAt: '2026-12-01T10:00:00Z', attendees: [{ agency: 'police', discipline: 'police' }], decisions: ['plan'] };
    }
    case 'record-risk-assessment':
      return { assessedOn: '2026-12-01', srp: { violence: 'low', persistence: 'high', recurrence: 'moderate', psychosocialDamage: 'low' }, rationale: 'r' };
    case 'formulate':
      return { stalkerType: pick(['rejected', 'resentful', 'intimacy_seeking', 'incompetent_suitor', 'predatory'], seed), rationale: 'r' };
    case 'agree-management-plan':
      return { actions: [{ kind: 'victim_safety_planning', description: 'd', owner: pick(staff, seed), dueDate: '2026-12-10' }] };
    case 'complete-plan-action':
      return { actionId: `p${Math.max(1, state.planCount)}.a${1 + (seed % 2)}`, note: 'n' };
    case 'direct-to-service':
      return { service: pick(['victim_advocate', 'health_pathway', 'probation', 'mappa', 'marac'], seed), reason: 'r' };
    case 'record-advice':
      return { advice: 'a' };
    case 'record-intervention':
      return { intervention: pick(interventions, seed), occurredOn: '2026-12-02' };
    case 'record-crime-outcome':
      return { crimeReference: 'CC/26/000123', outcomeCode: pick(['1', '3', '16'], seed), outcomeDate: '2027-01-01' };
    case 'log-time':
      return { agency: pick(['police', 'nhs'], seed), minutes: 1 + (seed % 120), activity: 'work' };
    case 'review':
      return { summary: 's' };
    case 'close':
      return { reason: 'done' };
    case 'reopen':
      return { linkedReferralId: pick(['ref-00000000000000000000000000000001', state.referralId], seed), reason: 'new crime' };
    case 'review-retention':
      return pick([{ decision: 'retain', reason: 'risk remains' }, { decision: 'retain', reason: 'r', nextReviewDue: '2040-01-01' }, { decision: 'dispose', reason: 'no policing purpose' }], seed);
    case 'record-spo': {
      const spo = state.measures.filter((m) => m.kind === 'spo');
      const measureId = seed % 3 !== 0 && spo.length > 0 ? { measureId: pick(spo, seed).measureId } : {};
      const step = pick(
        [
          { step: 'advised' },
          { step: 'applied', order: 'full' },
          { step: 'granted', order: 'full', endsOn: null },
          { step: 'granted', order: 'interim', endsOn: '2027-01-20' },
          { step: 'served' },
          { step: 'notified' },
          { step: 'breached', breachOn: '2026-12-03', crimeReference: 'CC/26/000124' },
          { step: 'discharged' },
        ],
        seed,
      );
      return { ...measureId, at: '2026-12-02T10:00:00Z', step };
    }
    case 'record-dvpo': {
      const dvpo = state.measures.filter((m) => m.kind === 'dvpo');
      const measureId = seed % 3 !== 0 && dvpo.length > 0 ? { measureId: pick(dvpo, seed).measureId } : {};
      const step = pick([{ step: 'notice_issued', authorisedBy: 'superintendent' }, { step: 'order_granted', days: 28 }, { step: 'order_refused' }, { step: 'breached', breachOn: '2026-12-03', crimeReference: 'CC/26/000125' }], seed);
      return { ...measureId, at: '2026-12-02T10:00:00Z', step };
    }
    case 'record-bail': {
      const bail = state.measures.filter((m) => m.kind === 'bail');
      const measureId = seed % 3 !== 0 && bail.length > 0 ? { measureId: pick(bail, seed).measureId } : {};
      const step = pick(
        [{ step: 'granted', withConditions: true }, { step: 'extended', authority: 'inspector', authorisedBy: 'inspector' }, { step: 'extended', authority: 'court', until: '2027-12-01' }, { step: 'charged' }, { step: 'released_under_investigation' }],
        seed,
      );
      return { ...measureId, at: '2026-12-02T10:00:00Z', step };
    }
    case 'record-mappa': {
      const mappa = state.measures.filter((m) => m.kind === 'mappa');
      const measureId = seed % 3 !== 0 && mappa.length > 0 ? { measureId: pick(mappa, seed).measureId } : {};
      const step = pick([{ step: 'referred', category: 1, level: 2 }, { step: 'accepted' }, { step: 'reviewed', level: 3 }, { step: 'exited' }], seed);
      return { ...measureId, at: '2026-12-02T10:00:00Z', step };
    }
    case 'record-disclosure-scheme': {
      const schemes = state.measures.filter((m) => m.kind === 'disclosure_scheme');
      const measureId = seed % 3 !== 0 && schemes.length > 0 ? { measureId: pick(schemes, seed).measureId } : {};
      const step = pick([{ step: 'applied', route: 'right_to_ask' }, { step: 'checks_completed' }, { step: 'disclosed' }, { step: 'not_disclosed' }], seed);
      return { ...measureId, at: '2026-12-02T10:00:00Z', step };
    }
    case 'correct-measure-step': {
      const measure = state.measures.length > 0 ? pick(state.measures, seed) : undefined;
      return { measureId: measure?.measureId ?? 'm1', step: measure?.steps[0]?.step ?? 'granted', at: '2026-12-01T09:00:00Z', reason: 'entered wrongly' };
    }
    case 'record-arrest':
      return { at: '2026-12-02T09:00:00Z' };
    case 'record-victim-contact':
      return { deadlineId: `d${1 + (seed % (state.deadlines.length + 1))}`, at: '2026-12-02T11:00:00Z', method: 'phone' };
    case 'warn-deadline':
    case 'pass-deadline': {
      const d = state.deadlines.length > 0 ? pick(state.deadlines, seed) : undefined;
      return { deadlineId: d?.deadlineId ?? 'd1', version: d?.version ?? 1 };
    }
    case 'record-counterfactual-harm':
      return {
        harm: pick(['violence_with_injury', 'stalking_and_harassment', 'homicide', 'suicide'], seed),
        perspectives: pick(['all', ['victim'], ['state', 'society']], seed),
        ...pick([{ scenario: 'best_case' }, { scenario: 'worst_case' }, { probability: 0.25 }], seed),
        reason: 'r',
      };
    case 'withdraw-counterfactual-harm':
      return { harmId: `h${1 + (seed % (state.counterfactualHarms.length + 1))}`, reason: 'recorded in error' };
    default: {
      const never: never = name;
      throw new Error(`no payload for ${String(never)}`);
    }
  }
}

export function randomCommand(name: CommandName, seed: number, snapshot: ReferralSnapshot, now: string): When {
  return { name, payload: payloadFor(name, seed, snapshot), now };
}
