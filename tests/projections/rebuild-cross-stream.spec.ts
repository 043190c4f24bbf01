/**
 * A projection whose apply touches rows across streams (as the alerts model does) says `splitsByStream: false`:
 * a rebuild on several threads then loads it in one pass over the whole log, beside the shares of the others, and
 * leaves the rows the live runner built.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '@hru/infra';
import {
  caseloadProjection,
  defineProjection,
  openReadModelDb,
  openReadModels,
  ProjectionRunner,
  rebuildInParallel,
  statement,
  type AnyProjection,
} from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { appendAll, given, received, referralId } from './support/history.js';

/** One row per event type for the whole log: every referral's events count in it, and the last one is named. */
const acrossStreams = defineProjection({
  name: 'across_streams',
  version: 1,
  eventTypes: ['ReferralReceived', 'TriageCompleted'],
  tables: ['across_streams_totals'],
  schema: `CREATE TABLE across_streams_totals (event_type TEXT PRIMARY KEY, events INTEGER NOT NULL, last_referral TEXT NOT NULL)`,
  splitsByStream: false,
  apply(db, event) {
    statement(
      db,
      `INSERT INTO across_streams_totals VALUES (?, 1, ?)
       ON CONFLICT (event_type) DO UPDATE SET events = events + 1, last_referral = excluded.last_referral`,
    ).run(event.type, event.data.referralId);
  },
});

const projections: AnyProjection[] = [caseloadProjection, acrossStreams];

/** Referrals whose ids end in many different characters, so every share of the streams holds some. */
function history(from: number, count: number) {
  const ids = Array.from({ length: count }, (_, i) => referralId(from + i));
  return [...ids.map((id) => received(id, '2026-03-01T09:00:00Z')), ...ids.map((id) => given.triaged(id, '2026-03-02T09:00:00Z'))];
}

const dump = (db: Database.Database) => ({
  totals: db.prepare('SELECT * FROM across_streams_totals ORDER BY event_type').all(),
  cases: db.prepare('SELECT * FROM caseload_cases ORDER BY referral_id').all(),
});

describe('a projection that does not split by stream', () => {
  let dir: string;
  let cleanup: () => void;
  let store: SqliteEventStore;
  let db: Database.Database;
  let runner: ProjectionRunner;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('hru-rebuild-across-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
    db = openReadModels(dir);
    runner = new ProjectionRunner({ store, db, projections });
    runner.start();
  });

  afterEach(async () => {
    await runner.stop();
    await store.close();
    db.close();
    cleanup();
  });

  it('is rebuilt on three threads (one pass of its own, two shares of the streams for the rest) to exactly what the live runner built', async () => {
    await appendAll(store, history(0, 40));
    await runner.waitUntilCaughtUp();
    const live = dump(db);
    expect(live.totals).toEqual([
      { event_type: 'ReferralReceived', events: 40, last_referral: referralId(39) },
      { event_type: 'TriageCompleted', events: 40, last_referral: referralId(39) },
    ]);

    for (const [n, options] of [{ batchSize: 7 }, { batchSize: 1, commitEvery: 3 }].entries()) {
      const rebuilt = openReadModelDb(join(dir, `rebuilt-${n}.sqlite`));
      const report = await rebuildInParallel(store, rebuilt, projections, 3, options);
      expect(report.threads).toBe(3);
      expect(dump(rebuilt)).toEqual(live);
      rebuilt.close();
    }
  });

  it('in place, with events arriving meanwhile, ends as the live runner does', async () => {
    await appendAll(store, history(0, 30));
    await runner.waitUntilCaughtUp();
    const rebuilding = rebuildInParallel(store, db, projections, 2, { batchSize: 5 });
    await appendAll(store, history(30, 20));
    await rebuilding;
    await runner.waitUntilCaughtUp();
    expect(dump(db).totals).toEqual([
      { event_type: 'ReferralReceived', events: 50, last_referral: referralId(49) },
      { event_type: 'TriageCompleted', events: 50, last_referral: referralId(49) },
    ]);
    expect(dump(db).cases).toHaveLength(50);
  });
});
