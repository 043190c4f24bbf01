/**
 * Work queues read from the caseload table (a queue is a stage seen by the people who work it), each row
 * aged against that stage's target.
 */
import type Database from 'better-sqlite3';
import { columnsOf } from '../framework/csv.js';
import { daysBetween } from '../caseload/queries.js';
import { toCaseContext, type CaseContext, type CaseContextColumns } from '../caseload/context.js';
import { defaultStageTargets, type QueueName, type StageTargets } from './targets.js';

export interface QueueRow extends Record<string, unknown>, CaseContext {
  referralId: string;
  problemBehaviour: string;
  ownerSub: string | null;
  urgent: boolean;
  /** When the wait began: stage entry, or the review due date. */
  waitingSince: string;
  daysWaiting: number;
  targetDays: number;
  overTarget: boolean;
}

interface DbRow extends CaseContextColumns {
  referral_id: string;
  problem_behaviour: string;
  owner_sub: string | null;
  open_alerts: number;
  waiting_since: string;
}

function selectFor(queue: QueueName, today: string): { sql: string; params: unknown[] } {
  const columns = 'referral_id, problem_behaviour, owner_sub, open_alerts, crime_reference, offence_code, principal_offence, dash_yes_count, indicators';
  switch (queue) {
    case 'triage':
      return { sql: `SELECT ${columns}, stage_since AS waiting_since FROM caseload_cases WHERE stage = 'awaiting_triage'`, params: [] };
    case 'screening':
      return { sql: `SELECT ${columns}, stage_since AS waiting_since FROM caseload_cases WHERE stage = 'awaiting_screening'`, params: [] };
    case 'awaiting_case_discussion':
      return { sql: `SELECT ${columns}, stage_since AS waiting_since FROM caseload_cases WHERE stage = 'awaiting_case_discussion'`, params: [] };
    case 'reviews_due':
      return {
        sql: `SELECT ${columns}, next_review_due AS waiting_since FROM caseload_cases
              WHERE stage = 'under_management' AND next_review_due IS NOT NULL AND next_review_due <= ?`,
        params: [today],
      };
    default:
      return queue satisfies never;
  }
}

/** Where a page of a queue ends: the last row's place in the queue's order (urgent first, then oldest, then id). */
export interface QueueCursor {
  urgent: boolean;
  waitingSince: string;
  referralId: string;
}

export interface QueueOptions {
  now?: Date;
  targets?: StageTargets;
  problemBehaviour?: string | undefined;
  owner?: string | undefined;
  /** Rows after this one in the queue's order (keyset paging). */
  after?: QueueCursor | undefined;
  /** At most this many rows (every row when absent: the CSV export and the counts). */
  limit?: number | undefined;
}

export function listQueue(db: Database.Database, queue: QueueName, options: QueueOptions = {}): QueueRow[] {
  const now = options.now ?? new Date();
  const targetDays = (options.targets ?? defaultStageTargets)[queue];
  const { sql, params } = selectFor(queue, now.toISOString().slice(0, 10));
  const where: string[] = [];
  const more: unknown[] = [];
  if (options.problemBehaviour !== undefined) (where.push('problem_behaviour = ?'), more.push(options.problemBehaviour));
  if (options.owner !== undefined) (where.push('owner_sub = ?'), more.push(options.owner));
  if (options.after) {
    const a = options.after;
    // The order's first key sorts descending: after an urgent row come the later urgent rows, then every other.
    where.push('((open_alerts > 0) < ? OR ((open_alerts > 0) = ? AND (waiting_since, referral_id) > (?, ?)))');
    more.push(a.urgent ? 1 : 0, a.urgent ? 1 : 0, a.waitingSince, a.referralId);
  }
  const filtered = where.length === 0 ? sql : `SELECT * FROM (${sql}) WHERE ${where.join(' AND ')}`;
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
  const rows = db.prepare(`${filtered} ORDER BY open_alerts > 0 DESC, waiting_since ASC, referral_id${limit}`).all(...params, ...more) as DbRow[];
  return rows.map((row) => {
    const daysWaiting = daysBetween(row.waiting_since, now);
    return {
      referralId: row.referral_id,
      problemBehaviour: row.problem_behaviour,
      ownerSub: row.owner_sub,
      urgent: row.open_alerts > 0,
      waitingSince: row.waiting_since,
      daysWaiting,
      targetDays,
      overTarget: daysWaiting > targetDays,
      ...toCaseContext(row),
    };
  });
}

export const queueCsvColumns = columnsOf<QueueRow>([
  'referralId',
  'problemBehaviour',
  'ownerSub',
  'urgent',
  'waitingSince',
  'daysWaiting',
  'targetDays',
  'overTarget',
  'crimeReference',
  'offenceCode',
  'principalOffence',
  'dashYesCount',
]);
