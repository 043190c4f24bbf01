/**
 * Live subscriptions read what this store has just committed from memory (appended-tail.ts, issue 19) instead of
 * reading the rows back from the file. What they get must be what the file holds, row for row, whatever the filter,
 * the range or the limit; another process's appends and rolled-back appends must not make a gap or an extra.
 */
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { ConcurrencyError } from '@hru/events';
import { SqliteEventStore } from '@hru/infra';
import { AppendedTail, type EventRow } from '../../infra/src/eventstore/sqlite/appended-tail.js';
import { tempDir } from '../support/temp-dir.js';
import { testEvent } from '../support/events.js';
import { countStatements } from '../support/statement-counter.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp() {
  const { dir, cleanup } = tempDir('hru-appended-tail-');
  cleanups.push(cleanup);
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore(file);
  cleanups.push(() => store.close());
  // A read-only store appends nothing, so it has no tail: it reads everything from the file.
  const open = () => {
    const reader = new SqliteEventStore(file, { readonly: true });
    cleanups.push(() => reader.close());
    return reader;
  };
  return { store, file, open };
}

/** Counts the log reads of subscriptions (the one SELECT of whole rows by position) on every connection. */
function countLogReads(start = 'SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at FROM events WHERE position >'): { count: number } {
  const counted = countStatements(['all']);
  return {
    get count() {
      return counted.startingWith(start);
    },
  };
}

const filters = [
  undefined,
  { eventTypes: ['Opened'] },
  { eventTypes: ['Opened', 'Noted'] },
  { eventTypes: [] },
  { streamPrefixes: ['referral-'] },
  { streamPrefixes: ['perpetrator-', 'referral-a'] },
  { streamPrefixes: [] },
  { eventTypes: ['Noted'], streamPrefixes: ['referral-b'] },
];

it('answers a subscription’s read of what this store just committed without the file, exactly as the file would', async () => {
  const { store, open } = setUp();
  await Promise.all([
    store.appendToStream('referral-a', [testEvent('Opened', { n: 1, name: 'Zoë' }), testEvent('Noted', { nested: { b: [1, 2], a: null } })]),
    store.appendToStream('referral-b', [testEvent('Opened', { n: 2 })]),
    store.appendToStream('perpetrator-c', [testEvent('Linked', { to: 'referral-a' })]),
  ]);
  await store.appendToStream('referral-b', [testEvent('Noted', { n: 3 }), testEvent('Closed', {})], { expectedRevision: 0 });
  const head = await store.headPosition();
  expect(head).toBe(6n);
  const reader = open();
  const reads = countLogReads();
  for (const filter of filters) {
    for (const [after, upTo] of [[0n, head], [1n, head], [2n, 4n], [5n, head], [6n, head]] as const) {
      for (const limit of [-1, 1, 2, 500]) {
        const fromMemory = store.readAfterSync(after, upTo, filter, limit);
        const before = reads.count;
        expect(fromMemory).toEqual(reader.readAfterSync(after, upTo, filter, limit));
        expect(reads.count).toBe(before + 1); // the reader's read, and none of the store's
      }
    }
  }
  // Shared and frozen as before: the second read of a position is the same object.
  expect(store.readAfterSync(0n, head, undefined, -1)[0]).toBe(store.readAfterSync(0n, head, undefined, -1)[0]);
  expect(Object.isFrozen(store.readAfterSync(0n, head, undefined, -1)[0]!.data)).toBe(true);
});

it('reads from the file what another process appended in between, and a live subscription misses nothing', async () => {
  const { store, file, open } = setUp();
  const other = new SqliteEventStore(file);
  cleanups.push(() => other.close());
  const seen: string[] = [];
  const subscription = store.subscribeToAll({ from: 'start', handle: async (events) => void seen.push(...events.map((e) => `${e.position}:${e.type}`)) });
  cleanups.push(() => subscription.stop());
  await store.appendToStream('referral-d', [testEvent('Mine1'), testEvent('Mine2')]);
  await other.appendToStream('referral-e', [testEvent('Theirs')]);
  await store.appendToStream('referral-d', [testEvent('Mine3')], { expectedRevision: 1 });
  const reads = countLogReads();
  const all = store.readAfterSync(0n, 4n, undefined, -1);
  expect(all.map((e) => e.type)).toEqual(['Mine1', 'Mine2', 'Theirs', 'Mine3']);
  expect(all).toEqual(open().readAfterSync(0n, 4n, undefined, -1));
  expect(reads.count).toBe(2); // the store's (its tail starts after the other's event) and the reader's
  // After the other's event, the tail holds the range again.
  expect(store.readAfterSync(3n, 4n, undefined, -1).map((e) => e.type)).toEqual(['Mine3']);
  expect(reads.count).toBe(2);
  await vi.waitFor(() => expect(seen).toEqual(['1:Mine1', '2:Mine2', '3:Theirs', '4:Mine3']));
});

it('never serves an append that was rolled back: the positions it did not take are the next ones', async () => {
  const { store, open } = setUp();
  await store.appendToStream('referral-f', [testEvent('First')]);
  // One turn, one transaction: the stale append's savepoint rolls back, its neighbours commit.
  const results = await Promise.allSettled([
    store.appendToStream('referral-g', [testEvent('Kept1')]),
    store.appendToStream('referral-f', [testEvent('Stale')], { expectedRevision: 5 }),
    store.appendToStream('referral-h', [testEvent('Kept2'), testEvent('Kept3')]),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
  const events = store.readAfterSync(0n, 4n, undefined, -1);
  expect(events.map((e) => `${e.position}:${e.type}`)).toEqual(['1:First', '2:Kept1', '3:Kept2', '4:Kept3']);
  expect(events).toEqual(open().readAfterSync(0n, 4n, undefined, -1));
});

it('answers a raw read of what it just committed (the key-log follower’s) as the file would, metadata fields included', async () => {
  const { store, open } = setUp();
  const withMetadata = (type: string, metadata: Record<string, unknown>) => {
    const event = testEvent(type, { n: type });
    return { ...event, metadata: { ...event.metadata, ...metadata } as typeof event.metadata };
  };
  await store.appendToStream('referral-r', [
    withMetadata('Opened', { actor: { kind: 'person', sub: 'user-1', roles: [] } }),
    withMetadata('Noted', { actor: { kind: 'system', system: 'niche' } }),
    withMetadata('Noted', { schemaVersion: undefined }),
    withMetadata('Closed', { schemaVersion: 2.5, actor: { kind: 'person', sub: null, system: 'both' } }),
  ]);
  await store.appendToStream('referral-s', [withMetadata('Opened', { schemaVersion: true })]); // an odd shape: parsed whole, both ways
  const reader = open();
  const reads = countLogReads('SELECT position, type, data, metadata FROM');
  const cases = [
    { fromPosition: 1n, upTo: 4n, maxCount: 100, eventTypes: ['Opened', 'Noted', 'Closed'] },
    { fromPosition: 2n, upTo: 4n, maxCount: 1, eventTypes: ['Noted'] },
    { fromPosition: 1n, upTo: 3n, maxCount: 100, eventTypes: [] },
  ];
  for (const options of cases) {
    const before = reads.count;
    expect(await store.readAllRaw(options)).toEqual(await reader.readAllRaw(options));
    expect(reads.count).toBe(before + 1); // the reader's only
  }
  const withBoolean = { fromPosition: 1n, upTo: 5n, maxCount: 100, eventTypes: ['Opened'] };
  const before = reads.count;
  expect(await store.readAllRaw(withBoolean)).toEqual(await reader.readAllRaw(withBoolean));
  // The tail and the file take the fields out of the same stored text (raw-metadata.ts), so the tail answers this too.
  expect(reads.count).toBe(before + 1);
  // Without an end, or for a share of the log, the file answers.
  expect(await store.readAllRaw({ fromPosition: 1n, maxCount: 100, eventTypes: ['Noted'] })).toEqual(await reader.readAllRaw({ fromPosition: 1n, maxCount: 100, eventTypes: ['Noted'] }));
  // The data is parsed once for the follower and the subscriptions alike: the same frozen object, whoever reads first.
  const raw = await store.readAllRaw({ fromPosition: 1n, upTo: 5n, maxCount: 100, eventTypes: ['Opened', 'Noted', 'Closed'] });
  const subscribed = store.readAfterSync(0n, 5n, undefined, -1);
  expect(raw.map((event) => event.data)).toEqual(subscribed.map((event) => event.data));
  raw.forEach((event, i) => expect(event.data).toBe(subscribed[i]!.data));
  expect(Object.isFrozen(raw[0]!.data)).toBe(true);
});

it('holds a bounded run of consecutive positions and declines what it cannot answer exactly', () => {
  const row = (position: number, streamId = 'referral-x', type = 'T'): EventRow => [position, streamId, position, `e${position}`, type, '{}', '{}', 'now'];
  const tail = new AppendedTail(3);
  expect(tail.read(0, 1, undefined, -1)).toBeUndefined();
  tail.add([row(1), row(2)]);
  tail.add([row(3), row(4)]);
  // Only the last three are kept: position 1 is gone, so a read from the start goes to the file.
  expect(tail.read(0, 4, undefined, -1)).toBeUndefined();
  expect(tail.read(1, 4, undefined, -1)!.map((r) => r[0])).toEqual([2, 3, 4]);
  expect(tail.read(1, 5, undefined, -1)).toBeUndefined(); // beyond what it holds
  // A batch that does not follow on (another process wrote 5) starts the run again.
  tail.add([row(6)]);
  expect(tail.read(4, 6, undefined, -1)).toBeUndefined();
  expect(tail.read(5, 6, undefined, -1)!.map((r) => r[0])).toEqual([6]);
  // SQLite compares a prefix in code points; one outside the BMP is left to it.
  expect(tail.read(5, 6, { streamPrefixes: ['referral-😀'] }, -1)).toBeUndefined();
  for (let p = 7; p < 20; p++) tail.add([row(p)]);
  expect(tail.read(16, 19, undefined, -1)!.map((r) => r[0])).toEqual([17, 18, 19]);
});
