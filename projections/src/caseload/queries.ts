/** Caseload lists and counts; every row is plain JSON. `now` is a parameter so results are reproducible. */
import type Database from 'better-sqlite3';
import type { ProblemBehaviour } from '@hru/events';
import { columnsOf } from '../framework/csv.js';
import type { CaseloadCaseRow, CaseloadStage } from './schema.js';

export interface CaseloadFilter {
  problemBehaviour?: ProblemBehaviour;
  stage?: CaseloadStage;
  ownerSub?: string;
  urgent?: boolean;
  /** Include closed cases (default: active only). */
  includeClosed?: boolean;
  limit?: number;
  offset?: number;
}

export interface CaseloadRow extends Record<string, unknown> {
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
}

const DAY_MS = 86_400_000;

export function daysBetween(fromIso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / DAY_MS));
}

export function toCaseloadRow(row: CaseloadCaseRow, now: Date): CaseloadRow {
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
    daysInStage: daysBetween(row.stage_since, now),
  };
}

export function listCaseload(db: Database.Database, filter: CaseloadFilter = {}, now = new Date()): CaseloadRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!filter.includeClosed) where.push(`stage <> 'closed'`);
  if (filter.problemBehaviour) (where.push('problem_behaviour = ?'), params.push(filter.problemBehaviour));
  if (filter.stage) (where.push('stage = ?'), params.push(filter.stage));
  if (filter.ownerSub) (where.push('owner_sub = ?'), params.push(filter.ownerSub));
  if (filter.urgent !== undefined) where.push(filter.urgent ? 'open_alerts > 0' : 'open_alerts = 0');
  params.push(filter.limit ?? 500, filter.offset ?? 0);
  const rows = db
    .prepare(
      `SELECT * FROM caseload_cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY open_alerts > 0 DESC, received_at ASC, referral_id LIMIT ? OFFSET ?`,
    )
    .all(...params) as CaseloadCaseRow[];
  return rows.map((r) => toCaseloadRow(r, now));
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
]);
