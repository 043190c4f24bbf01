/**
 * The alerts read model, which is also the outbox of alert side effects: applying an urgent-action event
 * records the deliveries and the escalation timer it calls for, in the same transaction as the checkpoint.
 * Jobs are then enqueued from these rows (and enqueued again by sweeps) with deterministic ids, so Redis
 * being down, restarted or emptied loses nothing.
 */
import type { RecordedEvent } from '@hru/application';
import type Database from 'better-sqlite3';
import { eventRegistry, type AlertKind } from '@hru/events';
import { migrate, openSqlite, type AlertDeliveryJob, type EscalationTimerJob } from '@hru/infra';
import { alertMigrations } from './alert-schema.js';

export const alertEventTypes = [
  'UrgentActionRaised',
  'UrgentActionEscalated',
  'UrgentActionAcknowledged',
  'UrgentActionResolved',
  'AlertDelivered',
  'AlertDeliveryFailed',
] as const;

export type AlertStatus = 'open' | 'escalated' | 'acknowledged' | 'resolved';

export interface AlertRow {
  alertId: string;
  referralId: string;
  reason: string;
  raisedBy: string;
  raisedAt: string;
  status: AlertStatus;
  escalationLevel: number;
  ackDueAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  deliveries: { kind: AlertKind; level: number; target: string; status: string; attempts: number; lastError: string | null }[];
}

export interface AlertListFilter {
  /** `open` means not yet acknowledged: open and escalated alerts. */
  status?: 'open' | 'escalated' | 'acknowledged' | 'resolved' | 'all';
  referralId?: string;
  limit?: number;
}

interface Data {
  alertId: string;
  referralId: string;
  [key: string]: unknown;
}

const CHECKPOINT = 'alerts';

export class AlertStore {
  private readonly db: Database.Database;
  private readonly applyBatchTx: Database.Transaction<(events: readonly RecordedEvent[], targets: readonly string[]) => void>;

  constructor(file: string) {
    // NORMAL, not FULL: a commit lost in a power cut takes its checkpoint with it, so the events are applied
    // (and their jobs enqueued) again; the event log stays the durable truth.
    this.db = openSqlite(file, { synchronous: 'NORMAL' });
    migrate(this.db, alertMigrations, 'alert_schema_migrations');
    this.applyBatchTx = this.db.transaction((events: readonly RecordedEvent[], targets: readonly string[]) => {
      const from = this.checkpoint() ?? -1n;
      for (const event of events) if (event.position > from) this.apply(event, targets);
      const last = events[events.length - 1];
      if (last && last.position > from) {
        this.db
          .prepare('INSERT INTO alert_checkpoint (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position')
          .run(CHECKPOINT, Number(last.position));
      }
    });
  }

  checkpoint(): bigint | undefined {
    const row = this.db.prepare('SELECT position FROM alert_checkpoint WHERE name = ?').get(CHECKPOINT) as { position: number } | undefined;
    return row === undefined ? undefined : BigInt(row.position);
  }

  /** Applies a batch and moves the checkpoint in one transaction; events at or below the checkpoint change nothing. */
  applyBatch(events: readonly RecordedEvent[], webhookTargets: readonly string[]): void {
    this.applyBatchTx.immediate(events, webhookTargets);
  }

  private apply(recorded: RecordedEvent, targets: readonly string[]): void {
    const event = eventRegistry.parse(recorded);
    const data = event.data as Data;
    const at = event.metadata.occurredAt;
    const position = Number(recorded.position);
    switch (event.type) {
      case 'UrgentActionRaised':
        this.db
          .prepare(
            `INSERT INTO alerts (alert_id, referral_id, reason, raised_by, raised_at, status, level, ack_due_at, position)
             VALUES (?, ?, ?, ?, ?, 'open', 0, ?, ?) ON CONFLICT (alert_id) DO NOTHING`,
          )
          .run(data.alertId, data.referralId, data.reason as string, data.raisedBy as string, at, (data.ackDueAt as string | null) ?? at, position);
        this.addDeliveries(data.alertId, 'raised', 0, targets, at);
        return;
      case 'UrgentActionEscalated':
        this.db
          .prepare(`UPDATE alerts SET status = 'escalated', level = ?, ack_due_at = ?, position = ? WHERE alert_id = ? AND status IN ('open', 'escalated')`)
          .run(data.level as number, (data.nextAckDueAt as string | null) ?? null, position, data.alertId);
        this.addDeliveries(data.alertId, 'escalated', data.level as number, targets, at);
        return;
      case 'UrgentActionAcknowledged': {
        const actor = event.metadata.actor;
        this.db
          .prepare(`UPDATE alerts SET status = 'acknowledged', ack_due_at = NULL, acknowledged_at = ?, acknowledged_by = ?, position = ? WHERE alert_id = ?`)
          .run(at, actor.kind === 'person' ? actor.sub : actor.system, position, data.alertId);
        return;
      }
      case 'UrgentActionResolved':
        this.db
          .prepare(`UPDATE alerts SET status = 'resolved', ack_due_at = NULL, resolved_at = ?, position = ? WHERE alert_id = ?`)
          .run(at, position, data.alertId);
        return;
      case 'AlertDelivered':
      case 'AlertDeliveryFailed':
        this.db
          .prepare(
            `INSERT INTO alert_deliveries (alert_id, kind, level, target, status, attempts, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (alert_id, kind, level, target) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
               last_error = excluded.last_error, updated_at = excluded.updated_at`,
          )
          .run(
            data.alertId,
            data.kind as string,
            data.level as number,
            data.target as string,
            event.type === 'AlertDelivered' ? 'delivered' : 'failed',
            data.attempts as number,
            event.type === 'AlertDeliveryFailed' ? (data.error as string) : null,
            at,
          );
        return;
      default:
        // The subscription filters to alertEventTypes; anything else is not this model's concern.
        return;
    }
  }

  private addDeliveries(alertId: string, kind: AlertKind, level: number, targets: readonly string[], at: string): void {
    const insert = this.db.prepare(
      `INSERT INTO alert_deliveries (alert_id, kind, level, target, status, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)
       ON CONFLICT (alert_id, kind, level, target) DO NOTHING`,
    );
    for (const target of targets) insert.run(alertId, kind, level, target, at);
  }

  /** Deliveries not yet recorded as delivered or failed (of the given alerts, or all): each must be (re)enqueued. */
  pendingDeliveries(alertIds?: readonly string[]): AlertDeliveryJob[] {
    const only = alertIds ? `AND d.alert_id IN (SELECT value FROM json_each(?))` : '';
    return (
      this.db
        .prepare(
          `SELECT d.alert_id, d.kind, d.level, d.target, a.referral_id, a.reason, a.raised_at
           FROM alert_deliveries d JOIN alerts a ON a.alert_id = d.alert_id WHERE d.status = 'pending' ${only}`,
        )
        .all(...(alertIds ? [JSON.stringify(alertIds)] : [])) as { alert_id: string; kind: AlertKind; level: number; target: string; referral_id: string; reason: string; raised_at: string }[]
    ).map((r) => ({ alertId: r.alert_id, referralId: r.referral_id, kind: r.kind, level: r.level, reason: r.reason, raisedAt: r.raised_at, target: r.target }));
  }

  /** Unacknowledged alerts with a due time (of the given alerts, or all): each needs its escalation timer armed. */
  openTimers(alertIds?: readonly string[]): EscalationTimerJob[] {
    const only = alertIds ? `AND alert_id IN (SELECT value FROM json_each(?))` : '';
    return (
      this.db
        .prepare(`SELECT alert_id, referral_id, level, ack_due_at FROM alerts WHERE status IN ('open', 'escalated') AND ack_due_at IS NOT NULL ${only}`)
        .all(...(alertIds ? [JSON.stringify(alertIds)] : [])) as { alert_id: string; referral_id: string; level: number; ack_due_at: string }[]
    ).map((r) => ({ type: 'alert-escalation', referralId: r.referral_id, alertId: r.alert_id, level: r.level + 1, dueAt: r.ack_due_at }));
  }

  list(filter: AlertListFilter = {}): AlertRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    switch (filter.status ?? 'open') {
      case 'open':
        where.push(`status IN ('open', 'escalated')`);
        break;
      case 'all':
        break;
      case 'escalated':
      case 'acknowledged':
      case 'resolved':
        where.push('status = ?');
        params.push(filter.status);
        break;
    }
    if (filter.referralId) {
      where.push('referral_id = ?');
      params.push(filter.referralId);
    }
    params.push(filter.limit ?? 200);
    const rows = this.db
      .prepare(`SELECT * FROM alerts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY raised_at DESC, alert_id LIMIT ?`)
      .all(...params) as Record<string, unknown>[];
    return rows.map((r) => this.toRow(r));
  }

  get(alertId: string): AlertRow | undefined {
    const row = this.db.prepare('SELECT * FROM alerts WHERE alert_id = ?').get(alertId) as Record<string, unknown> | undefined;
    return row && this.toRow(row);
  }

  private toRow(r: Record<string, unknown>): AlertRow {
    const deliveries = this.db
      .prepare('SELECT kind, level, target, status, attempts, last_error FROM alert_deliveries WHERE alert_id = ? ORDER BY level, kind, target')
      .all(r.alert_id) as { kind: AlertKind; level: number; target: string; status: string; attempts: number; last_error: string | null }[];
    return {
      alertId: r.alert_id as string,
      referralId: r.referral_id as string,
      reason: r.reason as string,
      raisedBy: r.raised_by as string,
      raisedAt: r.raised_at as string,
      status: r.status as AlertStatus,
      escalationLevel: r.level as number,
      ackDueAt: (r.ack_due_at as string | null) ?? null,
      acknowledgedAt: (r.acknowledged_at as string | null) ?? null,
      acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
      resolvedAt: (r.resolved_at as string | null) ?? null,
      deliveries: deliveries.map((d) => ({ kind: d.kind, level: d.level, target: d.target, status: d.status, attempts: d.attempts, lastError: d.last_error })),
    };
  }

  close(): void {
    this.db.close();
  }
}
