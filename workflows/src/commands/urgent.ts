/**
 * Commands on urgent actions. Escalation comes from a timer that may fire late, twice, or after
 * someone acted: a firing that no longer applies is ignored (no events), never an error, so the worker
 * can treat every outcome as done.
 */
import { z } from 'zod';
import { alertIdSchema, reasonSchema, type Role, type UrgentRaisedBy } from '@hru/events';
import { addMs, draft, type CommandMeta, type DraftEvent, type DraftOf } from '../referral/decision.js';
import { openUrgentAction, type ReferralState, type UrgentActionState } from '../referral/referral-state.js';
import { caseworkers, defineCommand } from './command.js';

/** Alert ids count per referral, so they are deterministic and never repeat within a stream. */
export function nextAlertId(state: ReferralState): string {
  return `${state.referralId}.ua${state.urgentActions.length + 1}`;
}

export function raiseAlert(
  state: ReferralState,
  reason: string,
  raisedBy: UrgentRaisedBy,
  rules: string[],
  meta: CommandMeta,
  addressedTo: Role = 'supervisor',
): DraftOf<'UrgentActionRaised'> {
  return draft('UrgentActionRaised', {
    referralId: state.referralId,
    alertId: nextAlertId(state),
    raisedBy,
    addressedTo,
    rules,
    ackDueAt: addMs(meta.now, meta.options.alertAckSlaMs),
    // Free text even when the engine wrote it (it can quote the case); `raisedBy` and `rules` are its category.
    personal: { reason },
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
      ? [draft('UrgentActionResolved', { referralId: state.referralId, alertId: open.alertId, resolvedBy: 'superseded', personal: { resolution: `Superseded by a new urgent action: ${reason}`.slice(0, 4_000) } })]
      : [];
  return [...superseded, raiseAlert(state, reason, raisedBy, rules, meta)];
}

export const raiseUrgentAction = defineCommand({
  summary: 'Raise an urgent action: supervisors are alerted at once',
  roles: caseworkers,
  schema: z.strictObject({ reason: reasonSchema }),
  decide: ({ state, command }) => raiseAlertSuperseding(state, command.payload.reason, 'person', [], command.meta),
});

/** Decides on one of the referral's alerts; an id that is not one of them is rejected the same way by every command. */
function withAlert<R>(state: ReferralState, alertId: string, decide: (alert: UrgentActionState) => R): R | { rejected: string } {
  const alert = state.urgentActions.find((a) => a.alertId === alertId);
  return alert ? decide(alert) : { rejected: `Urgent action ${alertId} is not one of this referral's` };
}

/**
 * A supervisor acknowledges any alert; the role an alert is addressed to (an officer, for a missed bail clock)
 * acknowledges that alert too, so the person who must act can say they are acting.
 */
export const acknowledgeUrgentAction = defineCommand({
  summary: 'Acknowledge an urgent action (stops its escalation)',
  roles: caseworkers,
  schema: z.strictObject({ alertId: alertIdSchema, note: reasonSchema.optional() }),
  decide: ({ state, command }) => {
    const { alertId, note } = command.payload;
    const roles = command.meta.issuerRoles ?? [];
    return withAlert(state, alertId, (alert) => {
      if (!roles.includes('supervisor') && !roles.includes(alert.addressedTo)) {
        return { rejected: `Urgent action ${alertId} is addressed to ${alert.addressedTo}: a supervisor or ${alert.addressedTo} acknowledges it` };
      }
      if (alert.status !== 'raised') return { rejected: `Urgent action ${alertId} is already ${alert.status}` };
      return [draft('UrgentActionAcknowledged', { referralId: state.referralId, alertId, personal: note === undefined ? {} : { note } })];
    });
  },
});

export const escalateUrgentAction = defineCommand({
  summary: 'Escalate an urgent action (sent by the alert timer)',
  roles: 'system',
  /** `level` is the level this firing escalates to (1 for the first). */
  schema: z.strictObject({ alertId: alertIdSchema, level: z.number().int().min(1).max(20) }),
  decide: ({ state, command }) => {
    const { alertId, level } = command.payload;
    const { now, options } = command.meta;
    return withAlert(state, alertId, (alert) => {
      // Acknowledged or resolved meanwhile, or this level already fired (at-least-once delivery): ignore.
      if (alert.status !== 'raised' || level <= alert.level) return [];
      const nextAckDueAt = level < options.maxEscalationLevel ? addMs(now, options.alertAckSlaMs) : null;
      return [draft('UrgentActionEscalated', { referralId: state.referralId, alertId, level, nextAckDueAt })];
    });
  },
});

export const resolveUrgentAction = defineCommand({
  summary: 'Resolve an acknowledged urgent action',
  roles: ['supervisor'],
  schema: z.strictObject({ alertId: alertIdSchema, resolution: reasonSchema }),
  decide: ({ state, command }) => {
    const { alertId, resolution } = command.payload;
    return withAlert(state, alertId, (alert) => {
      if (alert.status !== 'acknowledged') {
        return { rejected: `Urgent action ${alertId} is ${alert.status}: only an acknowledged one can be resolved` };
      }
      return [draft('UrgentActionResolved', { referralId: state.referralId, alertId, resolvedBy: 'person', personal: { resolution } })];
    });
  },
});
