/** Alerts and their timers: the alert list of the API and the source the worker re-arms timers from. */
import { defineProjection } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { alertsSchema, alertsTables } from './schema.js';

export const alertsProjection = defineProjection({
  name: 'alerts',
  version: 1,
  tables: alertsTables,
  schema: alertsSchema,
  eventTypes: ['UrgentActionRaised', 'UrgentActionAcknowledged', 'UrgentActionEscalated', 'UrgentActionResolved'],
  apply(db, event) {
    const at = event.metadata.occurredAt;
    const d = event.data;
    switch (event.type) {
      case 'UrgentActionRaised': {
        // A v1 alert upcasts with ackDueAt null: "due at once", so it still needs a timer.
        const due = event.data.ackDueAt ?? at;
        statement(
          db,
          `INSERT INTO alerts_alerts (alert_id, referral_id, reason, raised_by, raised_at, status, level, ack_due_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'open', 0, ?, ?) ON CONFLICT (alert_id) DO NOTHING`,
        ).run(event.data.alertId, d.referralId, event.data.reason, event.data.raisedBy, at, due, at);
        return;
      }
      case 'UrgentActionAcknowledged':
        statement(db, `UPDATE alerts_alerts SET status = 'acknowledged', ack_due_at = NULL, updated_at = ? WHERE alert_id = ?`).run(
          at,
          event.data.alertId,
        );
        return;
      case 'UrgentActionEscalated':
        statement(
          db,
          `UPDATE alerts_alerts SET status = 'escalated', level = ?, ack_due_at = ?, updated_at = ? WHERE alert_id = ? AND status <> 'acknowledged'`,
        ).run(event.data.level, event.data.nextAckDueAt, at, event.data.alertId);
        return;
      case 'UrgentActionResolved':
        statement(db, `UPDATE alerts_alerts SET status = 'resolved', ack_due_at = NULL, updated_at = ? WHERE alert_id = ?`).run(
          at,
          event.data.alertId,
        );
        return;
      default:
        return event satisfies never;
    }
  },
});
