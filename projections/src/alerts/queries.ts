/** Alert list for `GET /v1/alerts` and the open timers a worker re-arms on start. */
import type Database from 'better-sqlite3';
import { columnsOf } from '../framework/csv.js';
import type { AlertStatus } from './schema.js';

export interface AlertRow extends Record<string, unknown> {
  alertId: string;
  referralId: string;
  reason: string;
  raisedBy: string;
  raisedAt: string;
  status: AlertStatus;
  escalationLevel: number;
  ackDueAt: string | null;
}

const SELECT = `SELECT alert_id AS alertId, referral_id AS referralId, reason, raised_by AS raisedBy, raised_at AS raisedAt,
  status, level AS escalationLevel, ack_due_at AS ackDueAt FROM alerts_alerts`;

/**
 * `status: 'open'` means not yet acknowledged (raised or escalated), as the API's `?status=open` reads;
 * any other status selects exactly that status.
 */
export function listAlerts(
  db: Database.Database,
  filter: { status?: AlertStatus; referralId?: string; limit?: number } = {},
): AlertRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status === 'open') where.push(`status IN ('open', 'escalated')`);
  else if (filter.status) (where.push('status = ?'), params.push(filter.status));
  if (filter.referralId) (where.push('referral_id = ?'), params.push(filter.referralId));
  params.push(filter.limit ?? 500);
  return db.prepare(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY raised_at, alert_id LIMIT ?`).all(...params) as AlertRow[];
}

export function getAlert(db: Database.Database, alertId: string): AlertRow | undefined {
  return db.prepare(`${SELECT} WHERE alert_id = ?`).get(alertId) as AlertRow | undefined;
}

export interface OpenTimer extends Record<string, unknown> {
  alertId: string;
  referralId: string;
  level: number;
  status: AlertStatus;
  ackDueAt: string;
}

/** Every armed escalation timer, earliest first: what the worker schedules again after a restart. */
export function listOpenTimers(db: Database.Database): OpenTimer[] {
  return db
    .prepare(
      `SELECT alert_id AS alertId, referral_id AS referralId, level, status, ack_due_at AS ackDueAt
       FROM alerts_alerts WHERE ack_due_at IS NOT NULL ORDER BY ack_due_at, alert_id`,
    )
    .all() as OpenTimer[];
}

export const alertCsvColumns = columnsOf<AlertRow>(['alertId', 'referralId', 'raisedBy', 'raisedAt', 'status', 'escalationLevel', 'ackDueAt']);
