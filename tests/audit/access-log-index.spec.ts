/**
 * The access-log search by referral or actor goes through the embedded store's indexes (migration 4) and answers
 * exactly what the day-by-day scan answers, page for page; the query plan uses the index, so a year's search
 * reads the matching entries only.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog, queryAccessLog, type AccessLogEntry, type EventStore } from '@hru/application';
import { accessEntriesSql, openSqlite, SqliteEventStore } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { bareEventStore as withoutIndex } from '../support/bare-event-store.js';

const data = tempDir('hru-access-index-');
const file = join(data.dir, 'events.sqlite');
let store: SqliteEventStore;
const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1);
const referrals = Array.from({ length: 5 }, (_, i) => `ref-${String(i).padStart(32, '0')}`);

async function allPages(target: EventStore, query: { referralId?: string; actor?: string; from: Date; to: Date }, limit: number): Promise<{ entries: AccessLogEntry[]; pages: number }> {
  const entries: AccessLogEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await queryAccessLog(target, { ...query, limit, cursor });
    entries.push(...page.entries);
    pages++;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages < 1_000);
  return { entries, pages };
}

beforeAll(async () => {
  store = new SqliteEventStore(file);
  const log = new AccessLog(store);
  // 600 entries over 40 days in time order, by four staff and one system, about five referrals.
  for (let n = 0; n < 600; n++) {
    const system = n % 5 === 4;
    await log.record({
      referralId: referrals[(n * 3) % referrals.length]!,
      resource: 'referral',
      justification: 'Case review',
      actor: system ? { kind: 'system', system: 'niche' } : { kind: 'person', sub: `staff-${n % 4}`, name: `Staff ${n % 4}`, roles: ['officer'], agency: 'police' },
      correlationId: `c-${n}`,
      requestId: `r-${n}`,
      at: new Date(start + Math.floor((40 * DAY * n) / 600)),
    });
  }
});
afterAll(async () => {
  await store.close();
  data.cleanup();
});

describe('access-log search through the index', () => {
  const from = new Date(start + 3 * DAY + 5_000);
  const to = new Date(start + 31 * DAY);
  it.each([
    { name: 'a referral', query: { referralId: referrals[2]! } },
    { name: 'a member of staff', query: { actor: 'staff-1' } },
    { name: 'a source system', query: { actor: 'niche' } },
    { name: 'a referral and an actor', query: { referralId: referrals[1]!, actor: 'staff-3' } },
  ])('answers what the day scan answers for $name, page by page', async ({ query }) => {
    const indexed = await allPages(store, { ...query, from, to }, 7);
    const scanned = await allPages(withoutIndex(store), { ...query, from, to }, 7);
    expect(indexed.entries.length).toBeGreaterThan(7); // several pages
    expect(indexed.entries).toEqual(scanned.entries);
    expect(indexed.pages).toBe(scanned.pages);
    for (const entry of indexed.entries) {
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(from.getTime());
      expect(Date.parse(entry.at)).toBeLessThanOrEqual(to.getTime());
    }
  });

  it('refuses a day-scan cursor on the indexed search', async () => {
    await expect(queryAccessLog(store, { referralId: referrals[0]!, from, to, limit: 5, cursor: 'access-log-2026-01-05@3' })).rejects.toThrow(/cursor/);
  });

  it.each(['referral', 'actor'] as const)('plans the search by %s on its index, never a scan of the log', (by) => {
    const db = openSqlite(file, { readonly: true });
    try {
      for (const withAfter of [false, true]) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${accessEntriesSql(by, withAfter)}`).all(...Array<string>(withAfter ? 6 : 4).fill('x')) as { detail: string }[]).map((r) => r.detail).join('\n');
        expect(plan).toContain(by === 'referral' ? 'events_access_by_referral' : 'events_access_by_actor');
        expect(plan).not.toMatch(/SCAN events(?! USING)/);
        expect(plan).not.toContain('TEMP B-TREE'); // the index gives the order: no sort of the matches
      }
    } finally {
      db.close();
    }
  });
});
