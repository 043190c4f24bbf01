/**
 * Another process holding the embedded store's write lock (a `hru demo` run, a second engine) must not
 * freeze this one: the append waits between turns of the event loop, lands once the lock is free, and
 * fails as unavailable (writing nothing) only after the configured wait.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { UnavailableError } from '@hru/events';
import { SqliteEventStore, openSqlite } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { testEvent } from '../support/events.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(lockWaitMs: number) {
  const { dir, cleanup } = tempDir('hru-lock-wait-');
  cleanups.push(cleanup);
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore(file, { lockWaitMs });
  cleanups.push(() => store.close());
  // A second connection stands in for another process: it takes the write lock and keeps it.
  const other = openSqlite(file);
  cleanups.push(() => void other.close());
  return { store, other };
}

/**
 * How many times a 5 ms interval ran while `work` was pending: the event loop's turns. Counted, not timed, so a
 * loaded machine (slow turns) still tells a waiting loop (many turns) from a frozen one (none until the end).
 */
async function turnsDuring<T>(work: Promise<T>): Promise<{ result: PromiseSettledResult<T>; turns: number }> {
  let turns = 0;
  const ticker = setInterval(() => turns++, 5);
  const [result] = await Promise.allSettled([work]);
  clearInterval(ticker);
  return { result, turns };
}

it('an append waits for another writer without freezing the event loop, then lands', async () => {
  const { store, other } = setUp(10_000);
  other.exec('BEGIN IMMEDIATE');
  let released = false;
  // The lock is released from this very event loop: were the loop frozen while the append waits, it never would be.
  setTimeout(() => {
    other.exec('COMMIT');
    released = true;
  }, 1_000);
  const { result, turns } = await turnsDuring(store.appendToStream('referral-lock-1', [testEvent('Waited')]));
  expect(result.status).toBe('fulfilled');
  expect(released).toBe(true);
  // SQLite's own busy handler would have held the loop for the whole second: no turn at all until the lock went.
  // About 200 turns when idle; a tenth of that on a machine ten times loaded.
  expect(turns).toBeGreaterThanOrEqual(20);
  expect((await store.readStream('referral-lock-1')).map((e) => e.type)).toEqual(['Waited']);
});

it('appends that queue up during the wait land together once the lock is free', async () => {
  const { store, other } = setUp(10_000);
  other.exec('BEGIN IMMEDIATE');
  const first = store.appendToStream('referral-lock-2', [testEvent('First')]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const second = store.appendToStream('referral-lock-2', [testEvent('Second')], { expectedRevision: 0 });
  other.exec('COMMIT');
  await expect(Promise.all([first, second])).resolves.toMatchObject([{ nextExpectedRevision: 0 }, { nextExpectedRevision: 1 }]);
});

it('a lock held past the wait fails the append as unavailable, writes nothing, and the store recovers', async () => {
  const { store, other } = setUp(1_000);
  other.exec('BEGIN IMMEDIATE');
  const { result, turns } = await turnsDuring(store.appendToStream('referral-lock-3', [testEvent('Refused')]));
  expect(result.status).toBe('rejected');
  expect((result as PromiseRejectedResult).reason).toBeInstanceOf(UnavailableError);
  expect((result as PromiseRejectedResult).reason.message).toMatch(/locked by another process/);
  // The loop kept turning through the whole wait (about 200 turns idle), as above.
  expect(turns).toBeGreaterThanOrEqual(20);
  other.exec('COMMIT');
  expect(await store.readStream('referral-lock-3')).toEqual([]);
  await store.appendToStream('referral-lock-3', [testEvent('Later')], { expectedRevision: 'no_stream' });
  expect((await store.readStream('referral-lock-3')).map((e) => e.type)).toEqual(['Later']);
});
