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

export function listQueue(
  db: Database.Database,
  queue: QueueName,
  options: { now?: Date; targets?: StageTargets } = {},
): QueueRow[] {
  const now = options.now ?? new Date();
  const targetDays = (options.targets ?? defaultStageTargets)[queue];
  const { sql, params } = selectFor(queue, now.toISOString().slice(0, 10));
  const rows = db.prepare(`${sql} ORDER BY open_alerts > 0 DESC, waiting_since ASC, referral_id`).all(...params) as DbRow[];
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
