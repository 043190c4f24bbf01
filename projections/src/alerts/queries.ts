/** Reads of the alerts read model: the supervisors' list, one alert, and the deliveries still to make. */
import type Database from 'better-sqlite3';
import type { AlertKind, Role, UrgentRaisedBy } from '@hru/events';
import type { AlertDeliveryJob } from '@hru/infra';
import { readCheckpoint } from '../framework/checkpoints.js';
import { statement } from '../framework/statements.js';
import { ALERTS_PROJECTION } from './projection.js';
import { contextColumns, toCaseContext, type CaseContext, type CaseContextColumns } from '../caseload/context.js';

export type AlertStatus = 'open' | 'escalated' | 'acknowledged' | 'resolved';

export interface AlertDelivery {
  kind: AlertKind;
  level: number;
  target: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

/** An alert without its free-text reason (personal data, read on the referral): its category instead. */
export interface AlertRow {
  alertId: string;
  referralId: string;
  raisedBy: UrgentRaisedBy;
  /** The role that must act on it. */
  addressedTo: Role;
  /** The intake rules that raised it, the deadline kind that passed, or the breach; empty when staff raised it. */
  rules: string[];
  raisedAt: string;
  status: AlertStatus;
  escalationLevel: number;
  ackDueAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  deliveries: AlertDelivery[];
  /** The case as people know it, from the caseload model (all null once the case has left it). */
  context: CaseContext & { problemBehaviour: string | null; stage: string | null; ownerSub: string | null };
}

export interface AlertListFilter {
  /** `open` means not yet acknowledged: open and escalated alerts. */
  status?: AlertStatus | 'all';
  referralId?: string;
  addressedTo?: Role;
  limit?: number;
  /** The alerts after this one in the list's order (newest first, then alert id): keyset paging. */
  after?: AlertCursor;
}

/** Where a page of alerts ends: its last alert's time and id. */
export interface AlertCursor {
  raisedAt: string;
  alertId: string;
}

interface ItemRow extends Partial<CaseContextColumns> {
  problem_behaviour?: string | null;
  stage?: string | null;
  owner_sub?: string | null;
  alert_id: string;
  referral_id: string;
  raised_by: UrgentRaisedBy;
  addressed_to: Role;
  rules: string;
  raised_at: string;
  status: AlertStatus;
  level: number;
  ack_due_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
}

/** The log position the alerts model reflects (-1n before its first event). */
export function alertsPosition(db: Database.Database): bigint {
  return readCheckpoint(db, ALERTS_PROJECTION)?.position ?? -1n;
}

/** The case's context joined from the caseload model: the alerts model keeps none of its own. */
const CASE_COLUMNS = `c.problem_behaviour, c.stage, c.owner_sub, ${contextColumns('c')}`;

/**
 * A page of alerts, newest first (then by alert id), and whether more follow. Each filter meets an index in the
 * list's own order (schema.ts); a page after a cursor is two index seeks, as the perpetrators' ranking pages: the rest
 * of the cursor's own second, then the earlier ones (mixed directions rule out a single row-value range).
 */
export function pageAlerts(db: Database.Database, filter: AlertListFilter = {}): { rows: AlertRow[]; more: boolean } {
  const status = filter.status ?? 'open';
  // `open` is two statuses: each read in its index's order, then merged, rather than both sorted together.
  const statuses: (AlertStatus | undefined)[] = status === 'open' ? ['open', 'escalated'] : status === 'all' ? [undefined] : [status];
  const limit = filter.limit ?? 200;
  const rows = statuses
    .flatMap((one) => pageOfStatus(db, one, filter, limit + 1))
    .sort((a, b) => (a.raised_at !== b.raised_at ? (a.raised_at < b.raised_at ? 1 : -1) : a.alert_id < b.alert_id ? -1 : 1));
  return { rows: rows.slice(0, limit).map((r) => toAlertRow(db, r)), more: rows.length > limit };
}

/** Up to `want` alerts of one status (or any), in the list's order, after the filter's cursor. */
function pageOfStatus(db: Database.Database, status: AlertStatus | undefined, filter: AlertListFilter, want: number): ItemRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (status) (where.push('status = ?'), params.push(status));
  if (filter.referralId) (where.push('referral_id = ?'), params.push(filter.referralId));
  if (filter.addressedTo) (where.push('addressed_to = ?'), params.push(filter.addressedTo));
  const read = (extra: string, extraParams: unknown[], n: number) =>
    statement<unknown[], ItemRow>(
      db,
      `SELECT a.*, ${CASE_COLUMNS} FROM (
         SELECT * FROM alerts_items WHERE ${[...where, extra].join(' AND ')} ORDER BY raised_at DESC, alert_id LIMIT ?
       ) a LEFT JOIN caseload_cases c ON c.referral_id = a.referral_id ORDER BY a.raised_at DESC, a.alert_id`,
    ).all(...params, ...extraParams, n);
  if (!filter.after) return read('1', [], want);
  const { raisedAt, alertId } = filter.after;
  const rows = read('raised_at = ? AND alert_id > ?', [raisedAt, alertId], want);
  return rows.length < want ? rows.concat(read('raised_at < ?', [raisedAt], want - rows.length)) : rows;
}

export function listAlerts(db: Database.Database, filter: AlertListFilter = {}): AlertRow[] {
  return pageAlerts(db, filter).rows;
}

/** Opaque to clients (base64url of the sort key): only a `nextCursor` as given continues a listing. */
export function encodeAlertCursor(row: Pick<AlertRow, 'raisedAt' | 'alertId'>): string {
  return Buffer.from(JSON.stringify([row.raisedAt, row.alertId])).toString('base64url');
}

export function decodeAlertCursor(text: string): AlertCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      parsed[0].length <= 40 &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      typeof parsed[1] === 'string' &&
      /^ref-[0-9a-f]{32}\.ua[0-9]{1,4}$/.test(parsed[1])
    ) {
      return { raisedAt: parsed[0], alertId: parsed[1] };
    }
  } catch {
    // not base64url JSON: not a cursor of this list
  }
  return undefined;
}

export function getAlert(db: Database.Database, alertId: string): AlertRow | undefined {
  const row = statement<[string], ItemRow>(
    db,
    `SELECT a.*, ${CASE_COLUMNS} FROM alerts_items a LEFT JOIN caseload_cases c ON c.referral_id = a.referral_id WHERE a.alert_id = ?`,
  ).get(alertId);
  return row && toAlertRow(db, row);
}

function toAlertRow(db: Database.Database, r: ItemRow): AlertRow {
  const deliveries = statement<[string], { kind: AlertKind; level: number; target: string; status: string; attempts: number; last_error: string | null }>(
    db,
    'SELECT kind, level, target, status, attempts, last_error FROM alerts_deliveries WHERE alert_id = ? ORDER BY level, kind, target',
  ).all(r.alert_id);
  return {
    alertId: r.alert_id,
    referralId: r.referral_id,
    raisedBy: r.raised_by,
    addressedTo: r.addressed_to,
    rules: JSON.parse(r.rules) as string[],
    raisedAt: r.raised_at,
    status: r.status,
    escalationLevel: r.level,
    ackDueAt: r.ack_due_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at,
    deliveries: deliveries.map((d) => ({ kind: d.kind, level: d.level, target: d.target, status: d.status, attempts: d.attempts, lastError: d.last_error })),
    context: { problemBehaviour: r.problem_behaviour ?? null, stage: r.stage ?? null, ownerSub: r.owner_sub ?? null, ...toCaseContext(r) },
  };
}

/** Deliveries not yet recorded as delivered or failed (of the given alerts, or all): each must be (re)enqueued. */
export function pendingDeliveries(db: Database.Database, alertIds?: readonly string[]): AlertDeliveryJob[] {
  const only = alertIds ? `AND d.alert_id IN (SELECT value FROM json_each(?))` : '';
  const rows = db
    .prepare(
      `SELECT d.alert_id, d.kind, d.level, d.target, a.referral_id, a.raised_by, a.addressed_to, a.rules, a.raised_at
       FROM alerts_deliveries d JOIN alerts_items a ON a.alert_id = d.alert_id WHERE d.status = 'pending' ${only}`,
    )
    .all(...(alertIds ? [JSON.stringify(alertIds)] : [])) as {
    alert_id: string;
    kind: AlertKind;
    level: number;
    target: string;
    referral_id: string;
    raised_by: UrgentRaisedBy;
    addressed_to: Role;
    rules: string;
    raised_at: string;
  }[];
  return rows.map((r) => ({
    alertId: r.alert_id,
    referralId: r.referral_id,
    kind: r.kind,
    level: r.level,
    raisedBy: r.raised_by,
    addressedTo: r.addressed_to,
    rules: JSON.parse(r.rules) as string[],
    raisedAt: r.raised_at,
    target: r.target,
  }));
}
