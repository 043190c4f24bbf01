/** Decisions that move a referral along the pathway: triage, screening, closure and reopening. */
import { draft, type Decider, type Decision, type DraftEvent, type Where } from '../referral/decision.js';
import { openUrgentAction, type ReferralState } from '../referral/referral-state.js';

/**
 * Closing ends an acknowledged urgent action with the case, but never one nobody has acknowledged:
 * a supervisor must have seen it, or closing would silence the alert.
 */
export function closeReferral(state: ReferralState, where: Where, reason: string, before: DraftEvent[] = []): Decision {
  const open = openUrgentAction(state);
  if (open?.status === 'raised') {
    return { rejected: `Urgent action ${open.alertId} awaits acknowledgement by a supervisor before the referral can close` };
  }
  const events: DraftEvent[] = [...before];
  if (open) {
    events.push(
      draft('UrgentActionResolved', { referralId: state.referralId, alertId: open.alertId, resolution: `Referral closed: ${reason}`, resolvedBy: 'closure' }),
    );
  }
  events.push(draft('ReferralClosed', { referralId: state.referralId, reason, closedFrom: where }));
  return events;
}

export const decideTriage: Decider<'triage'> = ({ state, command, where }) => {
  const { decision, reason } = command.payload;
  const triaged = draft('TriageCompleted', { referralId: state.referralId, decision, reason });
  switch (decision) {
    case 'proceed':
      return [triaged];
    case 'not_stalking':
    case 'out_of_scope':
      return closeReferral(state, where, reason, [triaged]);
    default: {
      const never: never = decision;
      throw new Error(`unknown triage decision ${String(never)}`);
    }
  }
};

export const decideScreen: Decider<'screen'> = ({ state, command, where }) => {
  const { decision, reason } = command.payload;
  const screened = draft('ScreeningCompleted', { referralId: state.referralId, decision, reason });
  switch (decision) {
    case 'adopt':
    case 'advice_only':
      return [screened];
    case 'no_added_value':
      return closeReferral(state, where, reason, [screened]);
    default: {
      const never: never = decision;
      throw new Error(`unknown screening decision ${String(never)}`);
    }
  }
};

export const decideClose: Decider<'close'> = ({ state, command, where }) => closeReferral(state, where, command.payload.reason);

export const decideReopen: Decider<'reopen'> = ({ state, command }) => {
  const { linkedReferralId, reason } = command.payload;
  if (linkedReferralId === state.referralId) return { rejected: 'A referral cannot be reopened by a link to itself' };
  return [draft('ReferralReopened', { referralId: state.referralId, linkedReferralId, reason })];
};

export const decideRecordAdvice: Decider<'record-advice'> = ({ state, command }) => [
  draft('AdviceRecorded', { referralId: state.referralId, advice: command.payload.advice }),
];

export const decideDirectToService: Decider<'direct-to-service'> = ({ state, command }) => [
  draft('DirectedToService', { referralId: state.referralId, service: command.payload.service, reason: command.payload.reason }),
];

export const decideReview: Decider<'review'> = ({ state, command }) => [
  draft('CaseReviewed', { referralId: state.referralId, summary: command.payload.summary, nextReviewDue: command.payload.nextReviewDue ?? null }),
];
