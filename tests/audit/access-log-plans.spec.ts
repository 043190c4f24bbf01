/**
 * Issue 20: an access-log search costs a page, not the period. Every search the route offers (the period alone, by
 * referral, by actor, both; a first page and the page after a cursor) runs on the embedded store while every
 * statement it prepares is recorded: none may read the log whole or sort its matches (a temporary B-tree for the
 * ORDER BY), and the rows the store hands back (each parsed, and checked against the period) are at most a page and
 * the entries a page boundary skips, never the year's.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog, queryAccessLog, type AccessLogQuery } from '@hru/application';
import { SqliteEventStore } from '@hru/infra';
import { recordPrepared } from '../projections/support/prepared-sql.js';
import { tempDir } from '../support/temp-dir.js';

const data = tempDir('hru-access-plans-');
const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1);
const ENTRIES = 2_000;
const DAYS = 10;
const PER_DAY = ENTRIES / DAYS;
const referrals = Array.from({ length: 50 }, (_, i) => `ref-${String(i).padStart(32, '0')}`);
let store: SqliteEventStore;
let db: Database.Database;
let recorded: ReturnType<typeof recordPrepared>;
let rowsRead = 0;

beforeAll(async () => {
  store = new SqliteEventStore(join(data.dir, 'events.sqlite'), { synchronous: 'OFF' });
  const log = new AccessLog(store);
  // 2,000 entries over 10 days (200 a day), by 10 staff, about 50 referrals.
  for (let n = 0; n < ENTRIES; n += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
        log.record({
          referralId: referrals[((n + k) * 7) % referrals.length]!,
          resource: 'referral',
          justification: 'Case review',
          actor: { kind: 'person', sub: `staff-${(n + k) % 10}`, name: 'Staff', roles: ['officer'], agency: 'police' },
          correlationId: `c-${n + k}`,
          requestId: `r-${n + k}`,
          at: new Date(start + Math.floor((DAYS * DAY * (n + k)) / ENTRIES)),
        }),
      ),
    );
  }
  // Every statement the searches prepare from here on (the writes' are prepared already).
  db = (store as unknown as { db: Database.Database }).db;
  recorded = recordPrepared(db);
  // Count what the store hands the search back: every row it reads is parsed and looked at.
  for (const method of ['readStream', 'readAccessEntries'] as const) {
    const inner = store[method].bind(store) as (...args: unknown[]) => Promise<unknown[]>;
    (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const rows = await inner(...args);
      rowsRead += rows.length;
      return rows;
    };
  }
});
afterAll(async () => {
  recorded.stop();
  await store.close();
  data.cleanup();
});

/** What a plan does that costs the log's size rather than the page's. */
function problemsOf(db: Database.Database, sql: string): string[] {
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.match(/\?/g) ?? []).map(() => null)) as { detail: string }[];
  return plan.map((r) => r.detail).filter((detail) => /^SCAN events\b(?! USING)/.test(detail) || /TEMP B-TREE/.test(detail));
}

describe('access-log search plans', () => {
  const year = { from: new Date(start), to: new Date(start + 365 * DAY - 1) };
  const limit = 15;
  // `skipped`: the entries of the first page's day before `from`, which a day's stream holds before the period starts.
  const searches: { name: string; query: Partial<AccessLogQuery>; skipped: number }[] = [
    { name: 'the period alone', query: {}, skipped: 0 },
    { name: 'the period from the middle of a day', query: { from: new Date(start + 4 * DAY + DAY / 2) }, skipped: PER_DAY / 2 },
    { name: 'a referral', query: { referralId: referrals[3]! }, skipped: 0 },
    { name: 'a member of staff', query: { actor: 'staff-7' }, skipped: 0 },
    // Entry n reads referral (7n mod 50) and is by staff-(n mod 10): referral 3's are all staff-9's.
    { name: 'a referral and a member of staff', query: { referralId: referrals[3]!, actor: 'staff-9' }, skipped: 0 },
  ];

  it.each(searches)('$name: the first page and the next read a page each', async ({ query, skipped }) => {
    let cursor: string | undefined;
    for (let page = 0; page < 2; page++) {
      rowsRead = 0;
      const result = await queryAccessLog(store, { ...year, ...query, limit, cursor });
      expect(result.entries).toHaveLength(limit);
      // A page, what a page boundary skips, and at most one entry either side of the period's second (the index
      // compares times as text, widened by a second): never a day's 200 entries, nor the year's 2,000.
      expect(rowsRead, `page ${page + 1}`).toBeLessThanOrEqual(limit + (page === 0 ? skipped : 0) + 1);
      cursor = result.nextCursor ?? undefined;
      expect(cursor).toBeDefined();
    }
  });

  it('none of them reads the log whole or sorts its matches', () => {
    expect(recorded.sql.size).toBeGreaterThanOrEqual(3); // the day scan, by referral and by actor (with and without a cursor)
    const problems = [...recorded.sql].flatMap((sql) => problemsOf(db, sql).map((p) => `${p} in: ${sql.replace(/\s+/g, ' ').trim()}`));
    expect(problems).toEqual([]);
  });
});
