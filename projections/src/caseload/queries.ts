/** Caseload lists and counts; every row is plain JSON. `now` is a parameter so results are reproducible. */
import type Database from 'better-sqlite3';
import type { ProblemBehaviour } from '@hru/events';
import { columnsOf } from '../framework/csv.js';
import { statement } from '../framework/statements.js';
import type { CaseloadCaseRow, CaseloadStage } from './schema.js';
import { toCaseContext, type CaseContext } from './context.js';
import { defaultStageTargets, type QueueName, type StageTargets } from '../queues/targets.js';

/** The deadline situation a case is filtered on: a clock past due and unmet, or one falling due within the window. */
export const caseloadDeadlineStatuses = ['overdue', 'due'] as const;
export type CaseloadDeadlineStatus = (typeof caseloadDeadlineStatuses)[number];

/** Where a page ends: the sort key of its last row (urgent first, then oldest received, then id). */
export interface CaseloadCursor {
  urgent: boolean;
  receivedAt: string;
  referralId: string;
}

export interface CaseloadFilter {
  problemBehaviour?: ProblemBehaviour;
  stage?: CaseloadStage;
  ownerSub?: string;
  /** Only cases nobody is assigned. */
  unassigned?: boolean;
  urgent?: boolean;
  /** Include closed cases (default: active only). */
  includeClosed?: boolean;
  /** Exact crime reference, as normalised at intake (upper case). */
  crimeReference?: string;
  /** Only these cases (a blind-index search's matches). */
  referralIds?: readonly string[];
  /** Cases under management whose review is due on or before this date (YYYY-MM-DD). */
  reviewDueBy?: string;
  /** With `deadlinesAsOf` (and `deadlinesDueUntil` for `due`): cases with such a deadline. */
  deadlineStatus?: CaseloadDeadlineStatus;
  deadlinesAsOf?: string;
  deadlinesDueUntil?: string;
  after?: CaseloadCursor;
  limit?: number;
  /** Kept for callers that page by position; keyset paging (`after`) is the one that stays stable under change. */
  offset?: number;
}

export interface CaseloadRow extends Record<string, unknown>, CaseContext {
  referralId: string;
  problemBehaviour: string;
  stage: string;
  stageSince: string;
  receivedAt: string;
  ownerSub: string | null;
  ownerAgency: string | null;
  urgent: boolean;
  nextReviewDue: string | null;
  ageDays: number;
  daysInStage: number;
  /** The stage's target in days (a queue's target), null for stages without one. */
  targetDays: number | null;
  overTarget: boolean;
}

const DAY_MS = 86_400_000;

export function daysBetween(fromIso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / DAY_MS));
}

/** The queue whose target a stage is held to. */
const stageQueue: Partial<Record<string, QueueName>> = {
  awaiting_triage: 'triage',
  awaiting_screening: 'screening',
  awaiting_case_discussion: 'awaiting_case_discussion',
};

export function toCaseloadRow(row: CaseloadCaseRow, now: Date, targets: StageTargets = defaultStageTargets): CaseloadRow {
  const daysInStage = daysBetween(row.stage_since, now);
  const queue = stageQueue[row.stage];
  const targetDays = queue ? targets[queue] : null;
  return {
    referralId: row.referral_id,
    problemBehaviour: row.problem_behaviour,
    stage: row.stage,
    stageSince: row.stage_since,
    receivedAt: row.received_at,
    ownerSub: row.owner_sub,
    ownerAgency: row.owner_agency,
    urgent: row.open_alerts > 0,
    nextReviewDue: row.next_review_due,
    ageDays: daysBetween(row.received_at, now),
    daysInStage,
    targetDays,
    overTarget: targetDays !== null && daysInStage > targetDays,
    ...toCaseContext(row),
  };
}

/**
 * One page of the caseload, urgent first, then oldest received: at most `limit` rows after the cursor, read in the
 * order of an index, and whether more follow. Every filter the console offers meets an index whose columns are the
 * filter, then the order (schema.ts), so a page costs the rows it reads; the cursor is one row-value range over it.
 */
export function pageCaseload(db: Database.Database, filter: CaseloadFilter = {}, now = new Date()): { rows: CaseloadRow[]; more: boolean } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  // Written as the active index's own condition, so the planner may read that index.
  if (!filter.includeClosed) where.push(`stage <> 'closed'`);
  if (filter.problemBehaviour) (where.push('problem_behaviour = @problemBehaviour'), (params.problemBehaviour = filter.problemBehaviour));
  if (filter.stage) (where.push('stage = @stage'), (params.stage = filter.stage));
  if (filter.ownerSub) (where.push('owner_sub = @ownerSub'), (params.ownerSub = filter.ownerSub));
  if (filter.unassigned) where.push('owner_sub IS NULL');
  if (filter.urgent !== undefined) (where.push('urgency_rank = @rank'), (params.rank = filter.urgent ? 0 : 1));
  if (filter.crimeReference) (where.push('crime_reference = @crimeReference'), (params.crimeReference = filter.crimeReference));
  if (filter.referralIds) (where.push('referral_id IN (SELECT value FROM json_each(@referralIds))'), (params.referralIds = JSON.stringify(filter.referralIds)));
  if (filter.reviewDueBy) {
    // Read in the stage index's order, the due date checked in that index (its last column).
    where.push(`stage = 'under_management' AND next_review_due <= @reviewDueBy`);
    params.reviewDueBy = filter.reviewDueBy;
  }
  if (filter.deadlineStatus && filter.deadlinesAsOf) {
    params.asOf = filter.deadlinesAsOf;
    params.dueUntil = filter.deadlinesDueUntil ?? filter.deadlinesAsOf;
    // The unary + keeps the planner off the deadlines' status and due indexes: each case's few deadlines are found by
    // its key (referral_id leads it); searching every unmet deadline of the period once per case scans them all.
    const condition =
      filter.deadlineStatus === 'overdue'
        ? `+d.status IN ('open', 'missed') AND +d.due_at < @asOf`
        : `+d.status = 'open' AND +d.due_at >= @asOf AND +d.due_at <= @dueUntil`;
    where.push(`EXISTS (SELECT 1 FROM deadlines_items d WHERE d.referral_id = caseload_cases.referral_id AND ${condition})`);
  }
  if (filter.after) {
    // Rows after the cursor in (urgency_rank, received_at, referral_id) order: urgent (rank 0) first.
    Object.assign(params, { afterRank: filter.after.urgent ? 0 : 1, afterReceived: filter.after.receivedAt, afterId: filter.after.referralId });
    where.push('(urgency_rank, received_at, referral_id) > (@afterRank, @afterReceived, @afterId)');
  }
  const limit = filter.limit ?? 500;
  // The page's ids first, from the index alone where it holds every filtered column (a WITHOUT ROWID table's index
  // cannot defer the row: each row the filter looks at would be read); then only the page's rows.
  const order = 'ORDER BY urgency_rank, received_at, referral_id';
  const rows = statement(
    db,
    `SELECT * FROM caseload_cases WHERE referral_id IN (
       SELECT referral_id FROM caseload_cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order} LIMIT @limit OFFSET @offset
     ) ${order}`,
  ).all({ ...params, limit: limit + 1, offset: filter.offset ?? 0 }) as CaseloadCaseRow[];
  return { rows: rows.slice(0, limit).map((r) => toCaseloadRow(r, now)), more: rows.length > limit };
}

export function listCaseload(db: Database.Database, filter: CaseloadFilter = {}, now = new Date()): CaseloadRow[] {
  return pageCaseload(db, filter, now).rows;
}

/** The cursor that continues after `row`. */
export function caseloadCursorAfter(row: CaseloadRow): CaseloadCursor {
  return { urgent: row.urgent, receivedAt: row.receivedAt, referralId: row.referralId };
}

/** Opaque to clients (base64url of the sort key): only a `nextCursor` as given continues a listing. */
export function encodeCaseloadCursor(cursor: CaseloadCursor): string {
  return Buffer.from(JSON.stringify([cursor.urgent ? 1 : 0, cursor.receivedAt, cursor.referralId])).toString('base64url');
}

export function decodeCaseloadCursor(text: string): CaseloadCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [urgent, receivedAt, referralId] = parsed as unknown[];
  if (urgent !== 0 && urgent !== 1) return undefined;
  if (typeof receivedAt !== 'string' || receivedAt.length > 40 || Number.isNaN(Date.parse(receivedAt))) return undefined;
  if (typeof referralId !== 'string' || !/^ref-[0-9a-f]{32}$/.test(referralId)) return undefined;
  return { urgent: urgent === 1, receivedAt, referralId };
}

/**
 * Counts of active cases per queue-facing stage, for the queue tabs: one covering index range each (the queue
 * order index for a stage, the reviews index for the reviews due), so a count reads its queue's index entries only.
 */
export function countByStage(db: Database.Database, today: string): Record<string, number> {
  const inStage = statement<[string], { n: number }>(db, 'SELECT count(*) AS n FROM caseload_cases WHERE stage = ?');
  // The reviews index leads with urgency_rank: IN (0, 1) makes the due-date bound a range within each rank.
  const reviews = statement<[string], { n: number }>(
    db,
    `SELECT count(*) AS n FROM caseload_cases
      WHERE stage = 'under_management' AND next_review_due IS NOT NULL AND urgency_rank IN (0, 1) AND next_review_due <= ?`,
  ).get(today)!;
  return {
    triage: inStage.get('awaiting_triage')!.n,
    screening: inStage.get('awaiting_screening')!.n,
    awaiting_case_discussion: inStage.get('awaiting_case_discussion')!.n,
    reviews_due: reviews.n,
  };
}

export interface CaseloadCount extends Record<string, unknown> {
  problemBehaviour: string;
  stage: string;
  cases: number;
  urgent: number;
}

/** Active cases counted by problem behaviour and stage. */
export function countCaseload(db: Database.Database): CaseloadCount[] {
  return db
    .prepare(
      `SELECT problem_behaviour AS problemBehaviour, stage, count(*) AS cases, sum(open_alerts > 0) AS urgent
       FROM caseload_cases WHERE stage <> 'closed' GROUP BY problem_behaviour, stage ORDER BY problem_behaviour, stage`,
    )
    .all() as CaseloadCount[];
}

export const caseloadCsvColumns = columnsOf<CaseloadRow>([
  'referralId',
  'problemBehaviour',
  'stage',
  'stageSince',
  'receivedAt',
  'ownerSub',
  'ownerAgency',
  'urgent',
  'nextReviewDue',
  'ageDays',
  'daysInStage',
  'targetDays',
  'overTarget',
  'crimeReference',
  'offenceCode',
  'principalOffence',
  'dashYesCount',
]);
