import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '@hru/infra';
import {
  applyBatch,
  defineProjection,
  openReadModels,
  ProjectionRunner,
  readCheckpoint,
  rebuildProjectionsInto,
  statement,
  type AnyProjection,
} from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { testEvent } from '../support/events.js';
import { appendAll, event, received, referralId } from './support/history.js';

/** Counts triage decisions per referral; throws on a referral listed in `poison` (to simulate a bad apply). */
function triageCounter(options: { version?: number; poison?: Set<string> } = {}) {
  return defineProjection({
    name: 'triage_counter',
    version: options.version ?? 1,
    eventTypes: ['ReferralReceived', 'TriageCompleted'],
    tables: ['triage_counter_rows'],
    schema: `CREATE TABLE triage_counter_rows (referral_id TEXT PRIMARY KEY, triaged INTEGER NOT NULL, version INTEGER NOT NULL)`,
    apply(db, e) {
      if (options.poison?.has(e.data.referralId)) throw new Error('poisoned');
      switch (e.type) {
        case 'ReferralReceived':
          statement(db, 'INSERT INTO triage_counter_rows VALUES (?, 0, ?)').run(e.data.referralId, options.version ?? 1);
          return;
        case 'TriageCompleted':
          statement(db, 'UPDATE triage_counter_rows SET triaged = triaged + 1 WHERE referral_id = ?').run(e.data.referralId);
          return;
        default:
          return e satisfies never;
      }
    },
  });
}

const at = '2026-03-01T10:00:00Z';
const triaged = (id: string) => event('TriageCompleted', { referralId: id, decision: 'proceed', personal: { reason: 'in scope' } }, at);
const rows = (db: Database.Database) =>
  db.prepare('SELECT referral_id, triaged, version FROM triage_counter_rows ORDER BY referral_id').all() as {
    referral_id: string;
    triaged: number;
    version: number;
  }[];

describe('projection framework', () => {
  let dir: string;
  let cleanup: () => void;
  let store: SqliteEventStore;
  let db: Database.Database;
  const runners: ProjectionRunner[] = [];
  const run = (projection: AnyProjection, retry = { initialMs: 20, maxMs: 50 }) => {
    const runner = new ProjectionRunner({ store, db, projections: [projection], batchSize: 3, retry });
    runners.push(runner);
    runner.start();
    return runner;
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('hru-proj-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
    db = openReadModels(dir);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await store.close();
    db.close();
    cleanup();
  });

  it('applies events from the start and keeps the checkpoint at the last applied position', async () => {
    const a = referralId(1);
    const b = referralId(2);
    await appendAll(store, [received(a, at), received(b, at), triaged(a), triaged(a)]);
    await store.appendToStream('access-log-x', [testEvent('AccessLogged')]);
    const runner = run(triageCounter());
    await runner.waitUntilCaughtUp();
    expect(rows(db)).toEqual([
      { referral_id: a, triaged: 2, version: 1 },
      { referral_id: b, triaged: 0, version: 1 },
    ]);
    const head = await store.headPosition();
    expect(readCheckpoint(db, 'triage_counter')?.position).toBe(head - 1n);
    const [lag] = await runner.lag();
    // The access-log event after the checkpoint is not of a type it reads: nothing is pending.
    expect(lag).toMatchObject({ status: 'live', checkpoint: String(head - 1n), head: String(head), lag: 0 });
  });

  it('reports lag as head minus checkpoint while events it reads are pending', async () => {
    const a = referralId(1);
    const poison = new Set([a]);
    await appendAll(store, [received(referralId(2), at), received(a, at)]);
    const runner = run(triageCounter({ poison }), { initialMs: 60_000, maxMs: 60_000 });
    await expect.poll(() => runner.states()[0]?.status).toBe('failed');
    const [lag] = await runner.lag();
    expect(lag).toMatchObject({ lag: 2, checkpoint: '-1', failures: 1, lastError: 'poisoned' });
  });

  it('rolls back the rows and the checkpoint together when apply throws mid-batch', async () => {
    const a = referralId(1);
    const b = referralId(2);
    await appendAll(store, [received(a, at), triaged(a)]);
    const projection = triageCounter({ poison: new Set([b]) });
    const runner = run(projection);
    await runner.waitUntilCaughtUp();
    await runner.stop();
    await appendAll(store, [triaged(a), received(b, at), triaged(a)]);
    const before = readCheckpoint(db, 'triage_counter')!.position;
    const batch = await store.readAll({ fromPosition: before + 1n });
    expect(batch).toHaveLength(3);
    const generation = readCheckpoint(db, 'triage_counter')!.generation;
    expect(() => applyBatch(db, projection, batch, generation)).toThrow('poisoned');
    // The first event of the batch was applied before the throw; it is gone again, and so is the move.
    expect(rows(db)).toEqual([{ referral_id: a, triaged: 1, version: 1 }]);
    expect(readCheckpoint(db, 'triage_counter')?.position).toBe(before);
  });

  it('ignores a redelivered event at or below the checkpoint', async () => {
    const a = referralId(1);
    await appendAll(store, [received(a, at), triaged(a)]);
    const projection = triageCounter();
    const runner = run(projection);
    await runner.waitUntilCaughtUp();
    await runner.stop();
    const generation = readCheckpoint(db, 'triage_counter')!.generation;
    const result = applyBatch(db, projection, await store.readAll(), generation);
    expect(result).toEqual({ applied: 0, checkpoint: await store.headPosition() });
    expect(rows(db)).toEqual([{ referral_id: a, triaged: 1, version: 1 }]);
  });

  it('stops only the failing projection, then retries it from its checkpoint with backoff', async () => {
    const a = referralId(1);
    const poison = new Set([a]);
    const failing = triageCounter({ poison });
    const healthy = defineProjection({ ...triageCounter(), name: 'healthy', tables: ['healthy_rows'], schema: 'CREATE TABLE healthy_rows (n INTEGER)', apply: (d) => void statement(d, 'INSERT INTO healthy_rows VALUES (1)').run() });
    const runner = new ProjectionRunner({ store, db, projections: [failing, healthy], batchSize: 10, retry: { initialMs: 20, maxMs: 40 } });
    runners.push(runner);
    runner.start();
    await appendAll(store, [received(a, at), triaged(a)]);
    await expect.poll(() => runner.states().find((s) => s.projection === 'triage_counter')?.failures).toBeGreaterThanOrEqual(2);
    await expect.poll(() => (db.prepare('SELECT count(*) AS n FROM healthy_rows').get() as { n: number }).n).toBe(2);
    expect(rows(db)).toEqual([]);
    poison.clear(); // the fault is fixed: the next retry succeeds
    await runner.waitUntilCaughtUp();
    expect(rows(db)).toEqual([{ referral_id: a, triaged: 1, version: 1 }]);
    expect(runner.states().find((s) => s.projection === 'triage_counter')).toMatchObject({ status: 'live', failures: 0 });
  });

  it('rebuilds into shadow tables while the live ones keep serving, then swaps atomically', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => referralId(i + 1));
    await appendAll(store, ids.map((id) => received(id, at)));
    const v1 = run(triageCounter());
    await v1.waitUntilCaughtUp();
    const reader = openReadModels(dir);
    const seen: { rows: number; versions: number[] }[] = [];
    // v2 writes a different version column; while it builds, a reader on another connection sees v1 whole.
    const report = await rebuildProjectionsInto(store, db, [triageCounter({ version: 2 })], {
      batchSize: 4,
      onProgress: (p) => {
        if (p.done) return;
        const now = rows(reader);
        seen.push({ rows: now.length, versions: [...new Set(now.map((r) => r.version))] });
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(7);
    expect(seen.every((s) => s.rows === 30 && s.versions.join() === '1')).toBe(true);
    const head = await store.headPosition();
    expect(report).toMatchObject({ position: head, eventsRead: 30 });
    expect(rows(reader).map((r) => r.version)).toEqual(Array(30).fill(2));
    expect(readCheckpoint(db, 'triage_counter')).toMatchObject({ version: 2, generation: 2, position: head });
    reader.close();
  });

  it('rebuilds a projection whose version changed on start, then continues live from the new checkpoint', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => referralId(i + 1));
    await appendAll(store, ids.map((id) => received(id, at)));
    const v1 = run(triageCounter());
    await v1.waitUntilCaughtUp();
    await v1.stop();
    const v2 = run(triageCounter({ version: 2 }));
    expect(v2.states()[0]?.status).toBe('rebuilding');
    await v2.startupRebuilds();
    await appendAll(store, [triaged(ids[0]!)]);
    await v2.waitUntilCaughtUp();
    expect(rows(db).every((r) => r.version === 2)).toBe(true);
    expect(rows(db)[0]).toMatchObject({ triaged: 1 });
    expect(readCheckpoint(db, 'triage_counter')).toMatchObject({ version: 2, generation: 2, position: await store.headPosition() });
  });

  it('a runner that missed a swap made elsewhere resumes from the new checkpoint without losing events', async () => {
    const a = referralId(1);
    await appendAll(store, [received(a, at)]);
    const projection = triageCounter();
    const runner = run(projection);
    await runner.waitUntilCaughtUp();
    // Another process (the CLI) rebuilds: a second runner object on its own connection stands in for it.
    const cliDb = openReadModels(dir);
    const cli = new ProjectionRunner({ store, db: cliDb, projections: [projection] });
    const report = await cli.rebuild();
    expect(report).toMatchObject({ projections: ['triage_counter'], position: await store.headPosition(), eventsRead: 1 });
    await cli.stop();
    cliDb.close();
    await appendAll(store, [triaged(a), triaged(a)]);
    await runner.waitUntilCaughtUp();
    expect(rows(db)).toEqual([{ referral_id: a, triaged: 2, version: 1 }]);
    expect(readCheckpoint(db, 'triage_counter')).toMatchObject({ generation: 2, position: await store.headPosition() });
  });
});
