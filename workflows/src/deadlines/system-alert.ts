/**
 * Alerts the engine raises itself (a clock missed, an order breached) through the same pipeline as any urgent action:
 * webhook, live stream, acknowledgement, escalation. At most one alert is open per referral, so a new one supersedes
 * the open one, acknowledged or not: an engine-raised danger must page at once, and the superseded alert's rules are
 * carried into the new one so nothing it said is lost from the open list.
 */
import type { Role, UrgentRaisedBy } from '@hru/events';
import { draft } from '../referral/decision.js';
import { openUrgentAction } from '../referral/referral-state.js';
import { raiseAlert } from '../commands/urgent.js';
import type { Decided } from './decided.js';

export function raiseSystemAlert(b: Decided, raisedBy: UrgentRaisedBy, rules: string[], reason: string, addressedTo: Role): void {
  const open = openUrgentAction(b.state);
  let carried: string[] = [];
  if (open) {
    b.add(
      draft('UrgentActionResolved', {
        referralId: b.state.referralId,
        alertId: open.alertId,
        resolvedBy: 'superseded',
        personal: { resolution: `Superseded by a new urgent action: ${reason}`.slice(0, 4_000) },
      }),
    );
    if (open.status === 'raised') carried = open.rules.filter((r) => !rules.includes(r));
  }
  b.add(raiseAlert(b.state, reason, raisedBy, [...rules, ...carried].slice(0, 20), b.meta, addressedTo));
}
