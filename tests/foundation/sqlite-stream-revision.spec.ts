/**
 * The command handler asks the embedded store for a stream's revision before every command (issue 19): the look-ups
 * of one turn of the event loop are answered together in one read transaction, because a point query alone paid more
 * for opening and closing its WAL read transaction than for the query. Each answer must still be the stream's
 * committed revision, whoever appended, and optimistic concurrency is unchanged.
 */
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { ConcurrencyError, UnavailableError } from '@hru/events';
import { SqliteEventStore } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { testEvent } from '../support/events.js';
import { countStatements } from '../support/statement-counter.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp() {
  const { dir, cleanup } = tempDir('hru-stream-revision-');
  cleanups.push(cleanup);
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore(file);
  cleanups.push(() => store.close());
  return { store, file };
}

it('answers the look-ups of one turn in one read transaction, each with its own stream’s revision', async () => {
  const { store } = setUp();
  await store.appendToStream('referral-a', [testEvent('One')]);
  await store.appendToStream('referral-b', [testEvent('One'), testEvent('Two'), testEvent('Three')]);
  const { counts } = countStatements(['run', 'get']);
  const answers = await Promise.all(['referral-a', 'referral-b', 'referral-none', 'referral-a'].map((id) => store.streamRevision(id)));
  expect(answers).toEqual([0, 2, undefined, 0]);
  expect(counts.get('SELECT revision FROM streams WHERE stream_id = ?')).toBe(4);
  expect(counts.get('BEGIN DEFERRED')).toBe(1);
  // A look-up alone runs bare: a transaction around one query would only add two statements.
  counts.clear();
  expect(await store.streamRevision('referral-b')).toBe(2);
  expect(counts.get('BEGIN DEFERRED')).toBeUndefined();
});

it('sees every append committed before it, through this store or another connection, and conflicts still fail', async () => {
  const { store, file } = setUp();
  const other = new SqliteEventStore(file);
  cleanups.push(() => other.close());
  await store.appendToStream('referral-c', [testEvent('One')]);
  const seen = await store.streamRevision('referral-c');
  expect(seen).toBe(0);
  await other.appendToStream('referral-c', [testEvent('Elsewhere')], { expectedRevision: 0 });
  expect(await Promise.all([store.streamRevision('referral-c'), store.streamRevision('referral-d')])).toEqual([1, undefined]);
  // A writer that decided on the revision it saw before the other's append is refused, as before.
  await expect(store.appendToStream('referral-c', [testEvent('Stale')], { expectedRevision: seen! })).rejects.toBeInstanceOf(ConcurrencyError);
  expect((await store.readStream('referral-c')).map((e) => e.type)).toEqual(['One', 'Elsewhere']);
});

it('answers a look-up still pending when the store closes, and refuses one after', async () => {
  const { store } = setUp();
  await store.appendToStream('referral-e', [testEvent('One')]);
  const pending = store.streamRevision('referral-e');
  const closing = store.close();
  expect(await pending).toBe(0);
  await closing;
  await expect(store.streamRevision('referral-e')).rejects.toBeInstanceOf(UnavailableError);
});
