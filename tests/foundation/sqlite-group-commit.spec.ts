/**
 * The SQLite store's group commit (issue 19): the appends of one event-loop turn share one transaction without
 * savepoints (a savepoint makes SQLite copy every page it changes into a sub-journal first, spilled to a temporary
 * file past 64 KiB). A conflict is found before its append writes anything, so it fails alone; an append that fails
 * after writing some of its events rolls the batch back, and the batch is written again with each append in a
 * savepoint: its neighbours are stored, it leaves nothing, and the log has no gap.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ConcurrencyError, ValidationError } from '@hru/events';
import { SqliteEventStore } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { testEvent, uniqueStream } from '../support/events.js';
import { countStatements } from '../support/statement-counter.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp() {
  const { dir, cleanup } = tempDir('hru-group-commit-');
  cleanups.push(cleanup);
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  cleanups.push(() => store.close());
  return store;
}

it('writes a turn of appends, a conflict among them, in one transaction without a savepoint', async () => {
  const store = setUp();
  const taken = uniqueStream();
  await store.appendToStream(taken, [testEvent()], { expectedRevision: 'no_stream' });
  const counted = countStatements(['run']);
  cleanups.push(counted.restore);
  const streams = [uniqueStream(), taken, uniqueStream()];
  const results = await Promise.allSettled(streams.map((s) => store.appendToStream(s, [testEvent(), testEvent()], { expectedRevision: 'no_stream' })));
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
  expect(counted.startingWith('SAVEPOINT')).toBe(0);
  expect(counted.startingWith('INSERT INTO events')).toBe(4);
  expect((await store.readAll()).map((e) => e.position)).toEqual([1n, 2n, 3n, 4n, 5n]);
});

it('writes the turn again in savepoints when an append fails after writing part of its events: it alone leaves nothing', async () => {
  const store = setUp();
  const counted = countStatements(['run']);
  cleanups.push(counted.restore);
  const first = testEvent('First');
  const [a, b, c] = [uniqueStream(), uniqueStream(), uniqueStream()];
  const results = await Promise.allSettled([
    store.appendToStream(a, [first], { expectedRevision: 'no_stream' }),
    // Its first event is written, its second carries the id `a` took a moment before in the same transaction.
    store.appendToStream(b, [testEvent('Written'), testEvent('Duplicate', {}, first.metadata.eventId as ReturnType<typeof randomUUID>)], { expectedRevision: 'no_stream' }),
    store.appendToStream(c, [testEvent('Last')], { expectedRevision: 'no_stream' }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
  // First try: a, b's first and its failed second; again, in savepoints: a, b's two, c.
  expect(counted.startingWith('INSERT INTO events')).toBe(3 + 4);
  expect(counted.startingWith('SAVEPOINT')).toBe(3);
  expect(await store.readStream(b)).toEqual([]);
  expect(await store.streamRevision(b)).toBeUndefined();
  const log = await store.readAll();
  expect(log.map((e) => [e.streamId, e.type, e.position])).toEqual([
    [a, 'First', 1n],
    [c, 'Last', 2n],
  ]);
  // b starts afresh, and the chains over what was kept verify: its rolled-back event left no link behind.
  await store.appendToStream(b, [testEvent('Again')], { expectedRevision: 'no_stream' });
  expect((await store.readStream(b)).map((e) => [e.type, e.position])).toEqual([['Again', 3n]]);
  const report = await store.verifyChains();
  expect([report.ok, report.streams, report.events]).toEqual([true, 3, 3]);
});
