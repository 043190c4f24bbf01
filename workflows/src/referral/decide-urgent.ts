/**
 * Decisions on urgent actions. Escalation comes from a timer that may fire late, twice, or after
 * someone acted: a firing that no longer applies is ignored (no events), never an error, so the worker
 * can treat every outcome as done.
 */
import { addMs, draft, type CommandMeta, type Decider, type DraftEvent, type DraftOf } from './decision.js';
import { openUrgentAction, type ReferralState } from './referral-state.js';

/** Alert ids count per referral, so they are deterministic and never repeat within a stream. */
export function nextAlertId(state: ReferralState): string {
  return `${state.referralId}.ua${state.urgentActions.length + 1}`;
}

export function raiseAlert(
  state: ReferralState,
  reason: string,
  raisedBy: 'person' | 'intake_rule',
  rules: string[],
  meta: CommandMeta,
): DraftOf<'UrgentActionRaised'> {
  return draft('UrgentActionRaised', {
    referralId: state.referralId,
    alertId: nextAlertId(state),
    reason,
    raisedBy,
    rules,
    ackDueAt: addMs(meta.now, meta.options.alertAckSlaMs),
  });
}

/**
 * Raises a new alert. An acknowledged alert still open does not silence a new danger signal: it is resolved
 * as superseded and the new alert pages the supervisors again (at most one alert is open at a time). An
 * alert still awaiting acknowledgement is already paging: the machine refuses a second one meanwhile.
 */
export function raiseAlertSuperseding(
  state: ReferralState,
  reason: string,
  raisedBy: 'person' | 'intake_rule',
  rules: string[],
  meta: CommandMeta,
): DraftEvent[] {
  const open = openUrgentAction(state);
  const superseded =
    open?.status === 'acknowledged'
      ? [draft('UrgentActionResolved', { referralId: state.referralId, alertId: open.alertId, resolution: `Superseded by a new urgent action: ${reason}`.slice(0, 4_000), resolvedBy: 'superseded' })]
      : [];
  return [...superseded, raiseAlert(state, reason, raisedBy, rules, meta)];
}

export const decideRaiseUrgentAction: Decider<'raise-urgent-action'> = ({ state, command }) =>
  raiseAlertSuperseding(state, command.payload.reason, 'person', [], command.meta);

export const decideAcknowledgeUrgentAction: Decider<'acknowledge-urgent-action'> = ({ state, command }) => {
  const { alertId, note } = command.payload;
  const alert = state.urgentActions.find((a) => a.alertId === alertId);
  if (!alert) return { rejected: `Urgent action ${alertId} is not one of this referral's` };
  if (alert.status !== 'raised') return { rejected: `Urgent action ${alertId} is already ${alert.status}` };
  return [draft('UrgentActionAcknowledged', { referralId: state.referralId, alertId, ...(note === undefined ? {} : { note }) })];
};

export const decideEscalateUrgentAction: Decider<'escalate-urgent-action'> = ({ state, command }) => {
  const { alertId, level } = command.payload;
  const { now, options } = command.meta;
  const alert = state.urgentActions.find((a) => a.alertId === alertId);
  if (!alert) return { rejected: `Urgent action ${alertId} is not one of this referral's` };
  // Acknowledged or resolved meanwhile, or this level already fired (at-least-once delivery): ignore.
  if (alert.status !== 'raised' || level <= alert.level) return [];
  const nextAckDueAt = level < options.maxEscalationLevel ? addMs(now, options.alertAckSlaMs) : null;
  return [draft('UrgentActionEscalated', { referralId: state.referralId, alertId, level, nextAckDueAt })];
};

export const decideResolveUrgentAction: Decider<'resolve-urgent-action'> = ({ state, command }) => {
  const { alertId, resolution } = command.payload;
  const alert = state.urgentActions.find((a) => a.alertId === alertId);
  if (!alert) return { rejected: `Urgent action ${alertId} is not one of this referral's` };
  if (alert.status !== 'acknowledged') {
    return { rejected: `Urgent action ${alertId} is ${alert.status}: only an acknowledged one can be resolved` };
  }
  return [draft('UrgentActionResolved', { referralId: state.referralId, alertId, resolution, resolvedBy: 'person' })];
};
