/** Commands that move a referral along the pathway: triage, screening, advice, direction, review, closure, reopening. */
import { z } from 'zod';
import { reasonSchema, referralIdSchema, screeningDecisionSchema, serviceSchema, triageDecisionSchema, isoDateSchema } from '@hru/events';
import { draft, type Decision, type DraftEvent, type Where } from '../referral/decision.js';
import { openUrgentAction, unmetDeadlines, type ReferralState } from '../referral/referral-state.js';
import { Decided } from '../deadlines/decided.js';
import { closeClocks, setClock } from '../deadlines/deadline-effects.js';
import { recordClockStep } from '../measures/record-step.js';
import { clinicLeads, defineCommand } from './command.js';

/**
 * Closing ends an acknowledged urgent action with the case, but never one nobody has acknowledged:
 * a supervisor must have seen it, or closing would silence the alert.
 */
export function closeReferral(state: ReferralState, where: Where, reason: string, now: string, before: DraftEvent[] = []): Decision {
  const open = openUrgentAction(state);
  if (open?.status === 'raised') {
    return { rejected: `Urgent action ${open.alertId} awaits acknowledgement by a supervisor before the referral can close` };
  }
  const events: DraftEvent[] = [...before];
  if (open) {
    events.push(
      draft('UrgentActionResolved', { referralId: state.referralId, alertId: open.alertId, resolvedBy: 'closure', personal: { resolution: `Referral closed: ${reason}`.slice(0, 4_000) } }),
    );
  }
  events.push(draft('ReferralClosed', { referralId: state.referralId, closedFrom: where, personal: { reason } }));
  // A closed case is not reviewed; the clocks of its legal measures and its Victims' Code contacts still run.
  for (const d of unmetDeadlines(state).filter((x) => x.kind === 'plan_review')) {
    events.push(draft('DeadlineClosed', { referralId: state.referralId, deadlineId: d.deadlineId, outcome: 'cancelled', at: now, late: false }));
  }
  return events;
}

export const triage = defineCommand({
  summary: 'Triage: proceed to screening, or close as not stalking / out of scope',
  roles: ['supervisor', 'officer'],
  schema: z.strictObject({ decision: triageDecisionSchema, reason: reasonSchema }),
  decide: ({ state, command, where }) => {
    const { decision, reason } = command.payload;
    const triaged = draft('TriageCompleted', { referralId: state.referralId, decision, personal: { reason } });
    switch (decision) {
      case 'proceed':
        return [triaged];
      case 'not_stalking':
      case 'out_of_scope':
        return closeReferral(state, where, reason, command.meta.now, [triaged]);
      default: {
        const never: never = decision;
        throw new Error(`unknown triage decision ${String(never)}`);
      }
    }
  },
});

export const screen = defineCommand({
  summary: 'Screen: adopt, advice only, or no added value',
  roles: clinicLeads,
  schema: z.strictObject({ decision: screeningDecisionSchema, reason: reasonSchema }),
  decide: ({ state, command, where }) => {
    const { decision, reason } = command.payload;
    const screened = draft('ScreeningCompleted', { referralId: state.referralId, decision, personal: { reason } });
    switch (decision) {
      case 'adopt':
      case 'advice_only':
        return [screened];
      case 'no_added_value':
        return closeReferral(state, where, reason, command.meta.now, [screened]);
      default: {
        const never: never = decision;
        throw new Error(`unknown screening decision ${String(never)}`);
      }
    }
  },
});

export const directToService = defineCommand({
  summary: 'Direct the case to a service',
  roles: clinicLeads,
  schema: z.strictObject({ service: serviceSchema, reason: reasonSchema }),
  decide: ({ state, command }) => [
    draft('DirectedToService', { referralId: state.referralId, service: command.payload.service, personal: { reason: command.payload.reason } }),
  ],
});

export const recordAdvice = defineCommand({
  summary: 'Record advice given to the investigating officer (advice-only path)',
  roles: clinicLeads,
  schema: z.strictObject({ advice: reasonSchema }),
  decide: ({ state, command }) => [draft('AdviceRecorded', { referralId: state.referralId, personal: { advice: command.payload.advice } })],
});

export const review = defineCommand({
  summary: 'Review the case',
  roles: clinicLeads,
  schema: z.strictObject({ summary: reasonSchema, nextReviewDue: isoDateSchema.optional() }),
  decide: ({ state, command }) => {
    const { nextReviewDue, summary } = command.payload;
    const b = new Decided(state, command.meta);
    b.add(draft('CaseReviewed', { referralId: state.referralId, nextReviewDue: nextReviewDue ?? null, personal: { summary } }));
    // The review meets the one that was due and sets the next: on the date given, or at the plan-review cadence.
    const now = command.meta.now;
    closeClocks(b, unmetDeadlines(b.state).filter((d) => d.kind === 'plan_review'), 'met', now);
    setClock(b, { kind: 'plan_review', clock: 'plan_review', measureId: null, trigger: now, startedBy: null, ...(nextReviewDue ? { dueOn: nextReviewDue } : {}) }, recordClockStep);
    return b.events;
  },
});

export const close = defineCommand({
  summary: 'Close the referral',
  roles: ['supervisor'],
  schema: z.strictObject({ reason: reasonSchema }),
  decide: ({ state, command, where }) => closeReferral(state, where, command.payload.reason, command.meta.now),
});

export const reopen = defineCommand({
  summary: 'Reopen a closed referral linked to a new one about the same perpetrator',
  roles: ['supervisor', 'officer'],
  schema: z.strictObject({ linkedReferralId: referralIdSchema, reason: reasonSchema }),
  decide: ({ state, command }) => {
    const { linkedReferralId, reason } = command.payload;
    if (linkedReferralId === state.referralId) return { rejected: 'A referral cannot be reopened by a link to itself' };
    return [draft('ReferralReopened', { referralId: state.referralId, linkedReferralId, personal: { reason } })];
  },
});
