/**
 * Work queues read from the caseload table (a queue is a stage seen by the people who work it), each row
 * aged against that stage's target.
 */
import type Database from 'better-sqlite3';
import { columnsOf } from '../framework/csv.js';
import { statement } from '../framework/statements.js';
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

/**
 * A queue's rows and the column it waits by, written as the index that serves it spells its condition (schema.ts):
 * a stage queue reads the queue order index from its stage, the reviews due read the reviews index.
 */
function selectFor(queue: QueueName): { from: string; waitingSince: 'stage_since' | 'next_review_due' } {
  switch (queue) {
    case 'triage':
      return { from: `stage = 'awaiting_triage'`, waitingSince: 'stage_since' };
    case 'screening':
      return { from: `stage = 'awaiting_screening'`, waitingSince: 'stage_since' };
    case 'awaiting_case_discussion':
      return { from: `stage = 'awaiting_case_discussion'`, waitingSince: 'stage_since' };
    case 'reviews_due':
      return { from: `stage = 'under_management' AND next_review_due IS NOT NULL AND next_review_due <= @today`, waitingSince: 'next_review_due' };
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
  const { from, waitingSince } = selectFor(queue);
  const where = [from];
  const params: Record<string, unknown> = { today: now.toISOString().slice(0, 10) };
  if (options.problemBehaviour !== undefined) (where.push('problem_behaviour = @problemBehaviour'), (params.problemBehaviour = options.problemBehaviour));
  if (options.owner !== undefined) (where.push('owner_sub = @owner'), (params.owner = options.owner));
  if (options.after) {
    // Urgent (rank 0) first, then the oldest wait: one row-value range over the queue's index.
    where.push(`(urgency_rank, ${waitingSince}, referral_id) > (@afterRank, @afterWaiting, @afterId)`);
    Object.assign(params, { afterRank: options.after.urgent ? 0 : 1, afterWaiting: options.after.waitingSince, afterId: options.after.referralId });
  }
  // -1: no limit (the CSV export and a partner agency's counts read the whole queue).
  params.limit = options.limit === undefined ? -1 : Math.max(0, Math.floor(options.limit));
  const rows = statement<[Record<string, unknown>], DbRow>(
    db,
    `SELECT referral_id, problem_behaviour, owner_sub, open_alerts, crime_reference, offence_code, principal_offence, dash_yes_count, indicators,
            ${waitingSince} AS waiting_since
       FROM caseload_cases WHERE ${where.join(' AND ')} ORDER BY urgency_rank, ${waitingSince}, referral_id LIMIT @limit`,
  ).all(params);
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
