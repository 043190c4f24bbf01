/**
 * Projections grouped by coalescing (issue 19): one subscription per group. The alerting group (0 ms) applies a batch
 * to every member in one transaction, each with its checkpoint, a failing member leaving the group alone (the batch
 * applied again with each member in a savepoint); a group that coalesces applies each member in its own transaction,
 * with a turn of the event loop between members. Either way a member that left comes back into it on restart.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from '@hru/infra';
import { defineProjection, openReadModels, openReadModelDb, ProjectionRunner, readCheckpoint, statement } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { appendAll, received, referralId } from './support/history.js';
import { countStatements } from '../support/statement-counter.js';

const at = '2026-03-01T10:00:00Z';

/** Records each referral received in its own table; `spy` runs inside apply, `poison` throws there. */
function recorder(name: string, options: { coalesceMs?: number; spy?: (db: Database.Database, referralId: string) => void; poison?: Set<string> } = {}) {
  return defineProjection({
    name,
    version: 1,
    eventTypes: ['ReferralReceived'],
    tables: [`${name}_rows`],
    schema: `CREATE TABLE ${name}_rows (referral_id TEXT PRIMARY KEY)`,
    ...(options.coalesceMs === undefined ? {} : { coalesceMs: options.coalesceMs }),
    apply(db, e) {
      if (options.poison?.has(e.data.referralId)) throw new Error(`${name} poisoned`);
      options.spy?.(db, e.data.referralId);
      statement(db, `INSERT INTO ${name}_rows VALUES (?)`).run(e.data.referralId);
    },
  });
}

const count = (db: Database.Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('projection groups', () => {
  let dir: string;
  let cleanup: () => void;
  let store: SqliteEventStore;
  let db: Database.Database;
  let runner: ProjectionRunner | undefined;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('hru-group-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
    db = openReadModels(dir);
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await store.close();
    db.close();
    cleanup();
  });

  it('subscribes once per coalescing window, not once per read model', async () => {
    const subscribe = vi.spyOn(store, 'subscribeToAll');
    runner = new ProjectionRunner({
      store,
      db,
      projections: [recorder('a'), recorder('b'), recorder('c'), recorder('now_a', { coalesceMs: 0 }), recorder('now_b', { coalesceMs: 0 })],
    });
    runner.start();
    expect(subscribe).toHaveBeenCalledTimes(2);
    await appendAll(store, [received(referralId(1), at), received(referralId(2), at)]);
    await runner.waitUntilCaughtUp();
    for (const table of ['a_rows', 'b_rows', 'c_rows', 'now_a_rows', 'now_b_rows']) expect(count(db, table)).toBe(2);
    expect(runner.states().every((s) => s.status === 'live')).toBe(true);
  });

  it("the alerting group applies a batch to every member in one transaction: another connection sees none of it until all of it", async () => {
    const reader = openReadModelDb(join(dir, 'read-models.sqlite'));
    const seenByReader: number[] = [];
    // `b` runs after `a` in the same batch: a's rows are written but not committed while b applies, so the reader sees
    // as many of a's rows as of b's (the batches before, committed together). Unlike a coalescing group's, this
    // group's batches may hold one event or several, as they come.
    const spy = (_db: Database.Database, _id: string) => void seenByReader.push(count(reader, 'a_rows') - count(reader, 'b_rows'));
    runner = new ProjectionRunner({ store, db, projections: [recorder('a', { coalesceMs: 0 }), recorder('b', { coalesceMs: 0, spy })] });
    runner.start();
    await runner.waitUntilCaughtUp();
    await appendAll(store, [received(referralId(1), at), received(referralId(2), at), received(referralId(3), at)]);
    await runner.waitUntilCaughtUp();
    expect(count(reader, 'a_rows')).toBe(3);
    expect(count(reader, 'b_rows')).toBe(3);
    // Had `a` committed on its own before `b` applied, the reader would have seen more of its rows than of b's.
    expect(seenByReader).toEqual([0, 0, 0]);
    reader.close();
  });

  it('rolls back a failing member alone; it retries on its own, then rejoins the group on a restart', async () => {
    const poison = new Set([referralId(2)]);
    const subscribe = vi.spyOn(store, 'subscribeToAll');
    runner = new ProjectionRunner({ store, db, projections: [recorder('a'), recorder('bad', { poison })], retry: { initialMs: 20, maxMs: 40 } });
    runner.start();
    await appendAll(store, [received(referralId(1), at)]);
    await runner.waitUntilCaughtUp();
    await appendAll(store, [received(referralId(2), at), received(referralId(3), at)]);
    await expect.poll(() => runner!.states().find((s) => s.projection === 'bad')?.failures).toBeGreaterThanOrEqual(2);
    // The good member committed the batch the bad one threw on; the bad one kept nothing of it, checkpoint included.
    await expect.poll(() => count(db, 'a_rows')).toBe(3);
    expect(count(db, 'bad_rows')).toBe(1);
    const badCheckpoint = readCheckpoint(db, 'bad')!.position;
    expect(readCheckpoint(db, 'a')!.position).toBeGreaterThan(badCheckpoint);
    poison.clear();
    await runner.waitUntilCaughtUp();
    expect(count(db, 'bad_rows')).toBe(3);
    // A rebuild's restart brings it back into the group: one more subscription for the group, and both go on in it.
    const before = subscribe.mock.calls.length;
    await runner.rebuild(['bad']);
    expect(subscribe.mock.calls.length).toBe(before + 1);
    expect(subscribe.mock.calls.at(-1)![0].filter?.eventTypes).toEqual(['ReferralReceived']);
    await appendAll(store, [received(referralId(4), at)]);
    await runner.waitUntilCaughtUp();
    expect(count(db, 'a_rows')).toBe(4);
    expect(count(db, 'bad_rows')).toBe(4);
    expect(runner.states().map((s) => [s.projection, s.status, s.failures])).toEqual([
      ['a', 'live', 0],
      ['bad', 'live', 0],
    ]);
  });

  it('a group that coalesces commits each member apart, with a turn of the event loop between them', async () => {
    const reader = openReadModelDb(join(dir, 'read-models.sqlite'));
    const order: string[] = [];
    // Scheduled while `a` applies: it runs before `b` starts only if the group lets the event loop turn between them.
    const spyA = (_db: Database.Database, id: string) => void (order.push(`a ${id}`), setImmediate(() => order.push(`turn after a ${id}`)));
    const seenByReader: number[] = [];
    const spyB = (_db: Database.Database, id: string) => {
      order.push(`b ${id}`);
      seenByReader.push(count(reader, 'a_rows'));
    };
    runner = new ProjectionRunner({ store, db, projections: [recorder('a', { spy: spyA }), recorder('b', { spy: spyB })] });
    runner.start();
    await runner.waitUntilCaughtUp();
    await appendAll(store, [received(referralId(1), at), received(referralId(2), at)]);
    await runner.waitUntilCaughtUp();
    expect(order).toEqual([`a ${referralId(1)}`, `a ${referralId(2)}`, `turn after a ${referralId(1)}`, `turn after a ${referralId(2)}`, `b ${referralId(1)}`, `b ${referralId(2)}`]);
    // `a` had committed its batch, checkpoint and all, before `b` applied.
    expect(seenByReader).toEqual([2, 2]);
    expect(count(db, 'b_rows')).toBe(2);
    expect(readCheckpoint(db, 'a')!.position).toBe(readCheckpoint(db, 'b')!.position);
    reader.close();
  });

  it('a group that coalesces rolls back a failing member alone, without savepoints, and applies the others once', async () => {
    const poison = new Set<string>([referralId(2)]);
    const applied: string[] = [];
    const spy = (_db: Database.Database, id: string) => void applied.push(id);
    runner = new ProjectionRunner({ store, db, projections: [recorder('a', { spy }), recorder('bad', { poison }), recorder('c')], retry: { initialMs: 20, maxMs: 40 } });
    runner.start();
    await runner.waitUntilCaughtUp();
    const counted = countStatements(['run']);
    try {
      await appendAll(store, [received(referralId(1), at), received(referralId(2), at)]);
      await expect.poll(() => runner!.states().find((s) => s.projection === 'bad')?.failures).toBeGreaterThanOrEqual(1);
      await expect.poll(() => count(db, 'c_rows')).toBe(2);
      expect(applied).toEqual([referralId(1), referralId(2)]);
      expect(count(db, 'a_rows')).toBe(2);
      expect(count(db, 'bad_rows')).toBe(0);
      expect(counted.startingWith('SAVEPOINT')).toBe(0);
    } finally {
      counted.restore();
    }
    poison.clear();
    await runner.waitUntilCaughtUp();
    expect(count(db, 'bad_rows')).toBe(2);
  });

  it('the alerting group applies a clean batch without savepoints; a batch a member throws on is rolled back and applied again in savepoints', async () => {
    const poison = new Set<string>();
    const applied: string[] = [];
    const spy = (_db: Database.Database, id: string) => void applied.push(id);
    runner = new ProjectionRunner({
      store,
      db,
      projections: [recorder('a', { coalesceMs: 0, spy }), recorder('bad', { coalesceMs: 0, poison })],
      retry: { initialMs: 20, maxMs: 40 },
    });
    runner.start();
    await runner.waitUntilCaughtUp();
    const counted = countStatements(['run']);
    try {
      await appendAll(store, [received(referralId(1), at), received(referralId(2), at)]);
      await runner.waitUntilCaughtUp();
      expect(counted.startingWith('SAVEPOINT')).toBe(0);
      expect(applied).toEqual([referralId(1), referralId(2)]);
      // `bad` throws after `a` applied: the batch is undone and `a` applies it again, once kept.
      poison.add(referralId(3));
      await appendAll(store, [received(referralId(3), at)]);
      await expect.poll(() => runner!.states().find((s) => s.projection === 'bad')?.failures).toBeGreaterThanOrEqual(1);
      expect(counted.startingWith('SAVEPOINT')).toBeGreaterThanOrEqual(2);
      expect(applied.slice(2, 4)).toEqual([referralId(3), referralId(3)]);
      expect(count(db, 'a_rows')).toBe(3);
      expect(count(db, 'bad_rows')).toBe(2);
    } finally {
      counted.restore();
    }
  });

  it('starts from the lowest member checkpoint and applies nothing twice to a member ahead of it', async () => {
    const ids = [1, 2, 3, 4].map(referralId);
    await appendAll(store, ids.slice(0, 2).map((id) => received(id, at)));
    const first = new ProjectionRunner({ store, db, projections: [recorder('ahead')] });
    first.start();
    await first.waitUntilCaughtUp();
    await first.stop();
    await appendAll(store, ids.slice(2).map((id) => received(id, at)));
    // `behind` is new (from the start of the log); `ahead` has two events already: a repeat would break its key.
    runner = new ProjectionRunner({ store, db, projections: [recorder('ahead'), recorder('behind')] });
    runner.start();
    await runner.waitUntilCaughtUp();
    expect(count(db, 'ahead_rows')).toBe(4);
    expect(count(db, 'behind_rows')).toBe(4);
    expect(runner.states().every((s) => s.failures === 0)).toBe(true);
  });

  it('takes a member rebuilt by another process back into the group from its new checkpoint', async () => {
    const subscribe = vi.spyOn(store, 'subscribeToAll');
    runner = new ProjectionRunner({ store, db, projections: [recorder('a'), recorder('b')] });
    runner.start();
    await appendAll(store, [received(referralId(1), at)]);
    await runner.waitUntilCaughtUp();
    // The CLI rebuilds `b` on its own connection: its checkpoint moves to a new generation.
    const cliDb = openReadModelDb(join(dir, 'read-models.sqlite'));
    const cli = new ProjectionRunner({ store, db: cliDb, projections: [recorder('b')] });
    await cli.rebuild();
    await cli.stop();
    cliDb.close();
    await appendAll(store, [received(referralId(2), at), received(referralId(3), at)]);
    await runner.waitUntilCaughtUp();
    expect(count(db, 'a_rows')).toBe(3);
    expect(count(db, 'b_rows')).toBe(3);
    expect(readCheckpoint(db, 'b')).toMatchObject({ generation: 2, position: await store.headPosition() });
    // One subscription at start, one when the group restarted with `b` in it, and only that one still running:
    // `b` has none of its own beside the group's.
    expect(subscribe.mock.calls.map((c) => c[0].filter?.eventTypes)).toEqual([['ReferralReceived'], ['ReferralReceived']]);
    expect((store as unknown as { subscriptions: Set<unknown> }).subscriptions.size).toBe(1);
    expect(runner.states().map((s) => s.status)).toEqual(['live', 'live']);
  });
});
