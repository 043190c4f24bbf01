/**
 * The deadlines list across the caseload: overdue first, then soonest due, read in pages by keyset. A listing is
 * "as of" one instant, carried in its cursor, so a clock falling overdue while someone pages through neither moves
 * between pages nor is shown twice. Each row names the case without personal data: its id, problem behaviour,
 * stage and assignee from the caseload model, and the measure the clock belongs to.
 */
import type Database from 'better-sqlite3';
import type { DeadlineKind } from '@hru/events';
import type { CsvColumn } from '../framework/csv.js';
import type { DeadlineItemRow, DeadlineRowStatus } from './schema.js';
import { contextColumns, toCaseContext, type CaseContext, type CaseContextColumns } from '../caseload/context.js';

/**
 * What the list filters on: `due` = open and due between now and `until`; `overdue` = unmet (open or missed) and
 * its due time past; `met` = met, in time or late; `missed` = ever missed (met late, or still unmet).
 */
export const deadlineListStatuses = ['due', 'overdue', 'met', 'missed'] as const;
export type DeadlineListStatus = (typeof deadlineListStatuses)[number];

/** Where a page ends: the sort key of its last row, and the instant the listing is as of. */
export interface DeadlineCursor {
  asOf: string;
  overdue: boolean;
  dueAt: string;
  referralId: string;
  deadlineId: string;
}

export interface DeadlineListFilter {
  /** The instant the listing is as of (a cursor's, for later pages). */
  asOf: string;
  status?: DeadlineListStatus;
  /** The end of the `due` window (asOf + `within`). */
  dueUntil?: string;
  owner?: string;
  kind?: string;
  referralId?: string;
  after?: DeadlineCursor;
  limit: number;
}

export interface DeadlineListRow extends Record<string, unknown>, CaseContext {
  referralId: string;
  deadlineId: string;
  kind: DeadlineKind;
  clock: string;
  measureId: string | null;
  measureKind: string | null;
  owner: string;
  triggerAt: string;
  dueAt: string;
  warnAt: string | null;
  warnedAt: string | null;
  status: DeadlineRowStatus;
  /** Unmet and past its due time, as of the listing. */
  overdue: boolean;
  missedAt: string | null;
  closedAt: string | null;
  late: boolean;
  version: number;
  /** From the caseload model (null once the case has left it). */
  problemBehaviour: string | null;
  stage: string | null;
  assigneeSub: string | null;
}

type Joined = DeadlineItemRow & Partial<CaseContextColumns> & { overdue: number; problem_behaviour: string | null; stage: string | null; owner_sub: string | null };

const UNMET = `status IN ('open', 'missed')`;
/** The list's two parts, overdue first; each is read in (due_at, referral_id, deadline_id) order off an index. */
const OVERDUE = `${UNMET} AND due_at < @asOf`;
const parts = [
  { overdue: true, condition: OVERDUE },
  { overdue: false, condition: `NOT (${OVERDUE})` },
] as const;

function statusCondition(status: DeadlineListStatus): string {
  switch (status) {
    case 'due':
      return `status = 'open' AND due_at >= @asOf AND due_at <= @dueUntil`;
    case 'overdue':
      return OVERDUE;
    case 'met':
      return `status = 'met'`;
    case 'missed':
      return 'missed_at IS NOT NULL';
    default:
      return status satisfies never;
  }
}

/**
 * One page: at most `limit` rows after the cursor, and whether more follow. The overdue part is read first, then the
 * rest, each in due order straight off an index with the page's limit, and only the page's rows are joined to the
 * caseload: a page costs the same however long the list (a single ORDER BY over "overdue?" would sort it all).
 */
export function listDeadlines(db: Database.Database, filter: DeadlineListFilter): { rows: DeadlineListRow[]; more: boolean } {
  const params: Record<string, unknown> = { asOf: filter.asOf, dueUntil: filter.dueUntil ?? filter.asOf };
  const where: string[] = [];
  if (filter.status) where.push(statusCondition(filter.status));
  if (filter.owner) (where.push('owner = @owner'), (params.owner = filter.owner));
  if (filter.kind) (where.push('kind = @kind'), (params.kind = filter.kind));
  if (filter.referralId) (where.push('referral_id = @referralId'), (params.referralId = filter.referralId));
  const found: Joined[] = [];
  for (const part of parts) {
    if (found.length > filter.limit) break;
    const after = filter.after;
    // A cursor in the second part skips the first; in its own part, the page resumes after its row.
    if (after && part.overdue && !after.overdue) continue;
    const resume =
      after && after.overdue === part.overdue
        ? [`due_at >= @afterDue AND (due_at > @afterDue OR referral_id > @afterReferral OR (referral_id = @afterReferral AND deadline_id > @afterDeadline))`]
        : [];
    if (resume.length) Object.assign(params, { afterDue: after!.dueAt, afterReferral: after!.referralId, afterDeadline: after!.deadlineId });
    const rows = db
      .prepare(
        `SELECT d.*, ${part.overdue ? 1 : 0} AS overdue, c.problem_behaviour, c.stage, c.owner_sub, ${contextColumns('c')} FROM (
           SELECT * FROM deadlines_items WHERE ${[part.condition, ...where, ...resume].join(' AND ')}
           ORDER BY due_at, referral_id, deadline_id LIMIT @limit
         ) d LEFT JOIN caseload_cases c ON c.referral_id = d.referral_id
         ORDER BY d.due_at, d.referral_id, d.deadline_id`,
      )
      .all({ ...params, limit: filter.limit + 1 - found.length }) as Joined[];
    found.push(...rows);
  }
  const more = found.length > filter.limit;
  return { rows: found.slice(0, filter.limit).map(toDeadlineListRow), more };
}

export function toDeadlineListRow(r: Joined): DeadlineListRow {
  return {
    referralId: r.referral_id,
    deadlineId: r.deadline_id,
    kind: r.kind,
    clock: r.clock,
    measureId: r.measure_id,
    measureKind: r.measure_kind,
    owner: r.owner,
    triggerAt: r.trigger_at,
    dueAt: r.due_at,
    warnAt: r.warn_at,
    warnedAt: r.warned_at,
    status: r.status,
    overdue: r.overdue === 1,
    missedAt: r.missed_at,
    closedAt: r.closed_at,
    late: r.late === 1,
    version: r.version,
    problemBehaviour: r.problem_behaviour,
    stage: r.stage,
    assigneeSub: r.owner_sub,
    ...toCaseContext(r),
  };
}

/** The cursor that continues after `row` in a listing as of `asOf`. */
export function deadlineCursorAfter(row: DeadlineListRow, asOf: string): DeadlineCursor {
  return { asOf, overdue: row.overdue, dueAt: row.dueAt, referralId: row.referralId, deadlineId: row.deadlineId };
}

/** Opaque to clients (base64url of the sort key): only a `nextCursor` as given continues a listing. */
export function encodeDeadlineCursor(cursor: DeadlineCursor): string {
  return Buffer.from(JSON.stringify([cursor.asOf, cursor.overdue ? 1 : 0, cursor.dueAt, cursor.referralId, cursor.deadlineId])).toString('base64url');
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The cursor a `nextCursor` names, or undefined when it is not one. */
export function decodeDeadlineCursor(text: string): DeadlineCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) return undefined;
  const [asOf, overdue, dueAt, referralId, deadlineId] = parsed as unknown[];
  if (typeof asOf !== 'string' || !INSTANT.test(asOf) || typeof dueAt !== 'string' || !INSTANT.test(dueAt)) return undefined;
  if (overdue !== 0 && overdue !== 1) return undefined;
  if (typeof referralId !== 'string' || !/^ref-[0-9a-f]{32}$/.test(referralId)) return undefined;
  if (typeof deadlineId !== 'string' || !/^d[0-9]{1,5}$/.test(deadlineId)) return undefined;
  return { asOf, overdue: overdue === 1, dueAt, referralId, deadlineId };
}

export const deadlineCsvColumns: CsvColumn<DeadlineListRow>[] = (
  [
    'referralId',
    'deadlineId',
    'kind',
    'clock',
    'measureKind',
    'measureId',
    'owner',
    'status',
    'overdue',
    'triggerAt',
    'dueAt',
    'warnAt',
    'warnedAt',
    'missedAt',
    'closedAt',
    'late',
    'version',
    'problemBehaviour',
    'stage',
    'assigneeSub',
    'crimeReference',
    'principalOffence',
    'dashYesCount',
  ] as const
).map((key) => ({ header: key, value: (row: DeadlineListRow) => row[key] }));
