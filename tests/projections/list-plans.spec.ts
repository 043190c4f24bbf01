/**
 * Issue 20: every list the console offers reads a page in the order of an index, at any size of the read models.
 * Each query function runs once per filter (and with a cursor) on an empty database with the read models' full
 * schema; every statement it prepared has its plan read: none may scan a table without an index, nor sort its
 * filtered rows (a temporary B-tree for the ORDER BY) except the outer re-sort of one page's rows by key.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recordPrepared } from './support/prepared-sql.js';
import {
  countByStage,
  engineProjections,
  installSchema,
  listPerpetrators,
  listQueue,
  pageAlerts,
  pageCaseload,
  queueNames,
  RankingScorer,
  rfgConfigFrom,
  type CaseloadFilter,
} from '@hru/projections';

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}


function planOf(db: Database.Database, sql: string): PlanRow[] {
  const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1]!, null]));
  const positional = (sql.match(/\?/g) ?? []).map(() => null);
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  return (Object.keys(named).length ? statement.all(named) : statement.all(...positional)) as PlanRow[];
}

/** Tables of one row (the scores' meta: CHECK (id = 1)). */
const oneRow = new Set(['perpetrators_score_meta']);

/** What a plan does that costs the table's size rather than the page's. */
function problemsOf(plan: PlanRow[], tables: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const paged = plan.some((row) => /^(LIST SUBQUERY|CO-ROUTINE|MATERIALIZE)/.test(row.detail));
  for (const row of plan) {
    const scanned = /^SCAN (\w+)(?: AS \w+)?$/.exec(row.detail)?.[1];
    if (scanned && tables.has(scanned) && !oneRow.has(scanned)) problems.push(row.detail);
    // A sort at the top level over a subquery re-sorts the rows it already limited to one page; any other sorts them all.
    if (/USE TEMP B-TREE FOR .*ORDER BY/.test(row.detail) && (row.parent !== 0 || !paged)) problems.push(row.detail);
  }
  return problems;
}

describe('list query plans', () => {
  const db = new Database(':memory:');
  const projections = engineProjections({ webhookTargets: ['https://pager.example/hook'] });
  for (const p of projections.filter((p) => ['caseload', 'deadlines', 'alerts', 'perpetrators'].includes(p.name))) installSchema(db, p);
  const tables = new Set(projections.flatMap((p) => p.tables));
  const prepared = recordPrepared(db).sql;
  const now = new Date('2026-11-30T09:00:00Z');
  const cursor = { urgent: false, receivedAt: '2026-06-01T00:00:00Z', referralId: `ref-${'a'.repeat(32)}` };
  const caseloadFilters: CaseloadFilter[] = [
    {},
    { urgent: true },
    { urgent: false },
    { stage: 'under_management' },
    { stage: 'closed', includeClosed: true },
    { ownerSub: 'pc.demo' },
    { unassigned: true },
    { problemBehaviour: 'stalking' },
    { reviewDueBy: '2026-11-30' },
    { deadlineStatus: 'overdue', deadlinesAsOf: now.toISOString() },
    { deadlineStatus: 'due', deadlinesAsOf: now.toISOString(), deadlinesDueUntil: '2026-12-07T09:00:00Z' },
    { crimeReference: 'CC/26/000123' },
    { includeClosed: true },
  ];

  it('caseload: every filter alone and after a cursor', () => {
    for (const filter of caseloadFilters) {
      pageCaseload(db, { ...filter, limit: 50 }, now);
      pageCaseload(db, { ...filter, limit: 50, after: cursor }, now);
    }
    pageCaseload(db, { stage: 'awaiting_triage', urgent: true, limit: 50, after: cursor }, now);
    pageCaseload(db, { ownerSub: 'pc.demo', stage: 'under_management', limit: 50, after: cursor }, now);
  });

  it('stage queues and their counts', () => {
    for (const queue of queueNames) {
      listQueue(db, queue, { now, limit: 201 });
      listQueue(db, queue, { now, limit: 201, after: { urgent: true, waitingSince: '2026-06-01', referralId: cursor.referralId } });
    }
    countByStage(db, '2026-11-30');
  });

  it('alerts: each status, a referral, an addressee, after a cursor', () => {
    const after = { raisedAt: '2026-11-01T10:00:00.000Z', alertId: `${cursor.referralId}.ua1` };
    for (const status of ['open', 'all', 'resolved', 'acknowledged'] as const) {
      pageAlerts(db, { status, limit: 200 });
      pageAlerts(db, { status, limit: 200, after });
      pageAlerts(db, { status, limit: 200, addressedTo: 'officer' });
      pageAlerts(db, { status, limit: 200, referralId: cursor.referralId });
    }
  });

  it('perpetrators: the ranking, its filters and pages, and the people a new day rescores', () => {
    listPerpetrators(db, { limit: 50 });
    listPerpetrators(db, { limit: 50, after: { score: 10, partyId: `pty-${'0'.repeat(24)}` } });
    const config = rfgConfigFrom(undefined);
    db.prepare("INSERT INTO perpetrators_score_meta VALUES (1, ?, '2026-11-29')").run(config.version);
    new RankingScorer(db, config, { defer: () => undefined }).upToDate('2026-11-30');
  });

  it('none of them reads a table whole or sorts more than a page', () => {
    expect(prepared.size).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const sql of prepared) {
      if (!/^\s*(SELECT|WITH)\b/i.test(sql)) continue;
      // Whether a row exists at all: the first one answers (the scorer's probe of the stale marks).
      if (/LIMIT 1$/.test(sql.trim())) continue;
      for (const problem of problemsOf(planOf(db, sql), tables)) problems.push(`${problem} in: ${sql.replace(/\s+/g, ' ').trim()}`);
    }
    expect(problems).toEqual([]);
  });
});
