/**
 * The alerts read model, which is also the outbox of webhook deliveries: applying a raise or an escalation
 * records a pending delivery per configured receiver in the same transaction as the checkpoint, and the
 * delivery worker's outcome events settle them. The receivers come from configuration, so the projection is
 * built from it; it reads delivery streams beside referral streams, so a rebuild never splits it by stream.
 */
import type Database from 'better-sqlite3';
import type { AlertKind } from '@hru/events';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { keepingAlertCounts, uncountReferralAlerts } from './counts.js';
import { alertSchema, alertTables } from './schema.js';

export const ALERTS_PROJECTION = 'alerts';

export const alertEventTypes = [
  'UrgentActionRaised',
  'UrgentActionEscalated',
  'UrgentActionAcknowledged',
  'UrgentActionResolved',
  'AlertDelivered',
  'AlertDeliveryFailed',
  'RetentionReviewed',
] as const;

type AlertEvent = ProjectedEvent<(typeof alertEventTypes)[number]>;

export interface AlertsProjectionSettings {
  /** Webhook receivers (HRU_ALERT_WEBHOOK_URL): each raise and escalation is delivered to every one. */
  webhookTargets: readonly string[];
}

export function alertsProjection(settings: AlertsProjectionSettings) {
  const targets = [...settings.webhookTargets];
  return defineProjection({
    name: ALERTS_PROJECTION,
    // 2: the free-text reason left the model (issue #16); the rules matched are kept as its category.
    // 3: the role an alert is addressed to (UrgentActionRaised v4; earlier alerts were all the supervisors').
    // 4: indexes in the list's order, for keyset pages at a national year (issue 20).
    // 5: the trend's alert counts by day (./counts.ts, issue 20): a year's trend without reading a year of alerts.
    version: 5,
    eventTypes: alertEventTypes,
    tables: alertTables,
    schema: alertSchema,
    splitsByStream: false,
    // Alerting wants each event at once; the other read models gather 20 ms of events per transaction.
    coalesceMs: 0,
    apply: (db, event) => applyAlertEvent(db, event, targets),
  });
}

function applyAlertEvent(db: Database.Database, event: AlertEvent, targets: readonly string[]): void {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'UrgentActionRaised': {
      const d = event.data;
      keepingAlertCounts(db, d.alertId, () =>
        statement(
          db,
          `INSERT INTO alerts_items (alert_id, referral_id, raised_by, addressed_to, rules, raised_at, status, level, ack_due_at)
           VALUES (?, ?, ?, ?, ?, ?, 'open', 0, ?) ON CONFLICT (alert_id) DO NOTHING`,
        ).run(d.alertId, d.referralId, d.raisedBy, d.addressedTo, JSON.stringify(d.rules), at, d.ackDueAt ?? at),
      );
      addDeliveries(db, d.alertId, 'raised', 0, targets, at);
      return;
    }
    case 'UrgentActionEscalated': {
      const d = event.data;
      keepingAlertCounts(db, d.alertId, () =>
        statement(
          db,
          `UPDATE alerts_items SET status = 'escalated', level = ?, ack_due_at = ? WHERE alert_id = ? AND status IN ('open', 'escalated')`,
        ).run(d.level, d.nextAckDueAt, d.alertId),
      );
      addDeliveries(db, d.alertId, 'escalated', d.level, targets, at);
      return;
    }
    case 'UrgentActionAcknowledged': {
      keepingAlertCounts(db, event.data.alertId, () =>
        statement(
          db,
          `UPDATE alerts_items SET status = 'acknowledged', ack_due_at = NULL, acknowledged_at = ?, acknowledged_by = ? WHERE alert_id = ?`,
        ).run(at, event.metadata.actorId, event.data.alertId),
      );
      return;
    }
    case 'UrgentActionResolved':
      // Moves neither the day, the level nor the acknowledgement: the counts stay.
      statement(db, `UPDATE alerts_items SET status = 'resolved', ack_due_at = NULL, resolved_at = ? WHERE alert_id = ?`).run(at, event.data.alertId);
      return;
    case 'RetentionReviewed':
      // Disposal (MoPI) purges the case's alerts (their reasons describe it) and their deliveries, and takes them
      // out of the trend's counts, which count the alerts the model holds (as the trend always has).
      if (event.data.decision === 'dispose') {
        uncountReferralAlerts(db, event.data.referralId);
        statement(db, 'DELETE FROM alerts_deliveries WHERE alert_id IN (SELECT alert_id FROM alerts_items WHERE referral_id = ?)').run(event.data.referralId);
        statement(db, 'DELETE FROM alerts_items WHERE referral_id = ?').run(event.data.referralId);
      }
      return;
    case 'AlertDelivered':
    case 'AlertDeliveryFailed': {
      const d = event.data;
      statement(
        db,
        `INSERT INTO alerts_deliveries (alert_id, kind, level, target, status, attempts, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (alert_id, kind, level, target) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
           last_error = excluded.last_error, updated_at = excluded.updated_at`,
      ).run(
        d.alertId,
        d.kind,
        d.level,
        d.target,
        event.type === 'AlertDelivered' ? 'delivered' : 'failed',
        d.attempts,
        event.type === 'AlertDeliveryFailed' ? event.data.error : null,
        at,
      );
      return;
    }
    default: {
      const unexpected: never = event;
      throw new Error(`alerts projection got ${(unexpected as { type: string }).type}`);
    }
  }
}

function addDeliveries(db: Database.Database, alertId: string, kind: AlertKind, level: number, targets: readonly string[], at: string): void {
  const insert = statement(
    db,
    `INSERT INTO alerts_deliveries (alert_id, kind, level, target, status, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)
     ON CONFLICT (alert_id, kind, level, target) DO NOTHING`,
  );
  for (const target of targets) insert.run(alertId, kind, level, target, at);
}
