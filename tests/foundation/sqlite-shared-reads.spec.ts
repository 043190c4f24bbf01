/**
 * Live subscriptions of the embedded store share each event they read, parsed once and frozen: every subscriber
 * sees the same event, nobody can change it under the others, and a read of the log (readAll) still hands out
 * its own copies.
 */
import { afterEach, expect, it } from 'vitest';
import type { RecordedEvent } from '@hru/application';
import { SqliteEventStore } from '@hru/infra';
import { RecentEvents, deepFreeze } from '../../infra/src/eventstore/sqlite/recent-events.js';
import { testEvent } from '../support/events.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function collect(store: SqliteEventStore, eventTypes: string[]) {
  const seen: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({ from: 'start', filter: { eventTypes }, handle: async (events) => void seen.push(...events) });
  cleanups.push(() => subscription.stop());
  return seen;
}

it('hands every subscriber the same frozen event, and readAll its own mutable copy', async () => {
  const store = new SqliteEventStore(':memory:', { pollIntervalMs: 10 });
  cleanups.push(() => store.close());
  const a = collect(store, ['Seen']);
  const b = collect(store, ['Seen', 'Other']);
  await store.appendToStream('s-1', [testEvent('Seen', { nested: { list: [1, 2] } }), testEvent('Other', { i: 1 })]);
  await expect.poll(() => [a.length, b.length]).toEqual([1, 2]);

  expect(b[0]).toBe(a[0]);
  expect(a[0]!.data).toEqual({ nested: { list: [1, 2] } });
  const data = a[0]!.data as { nested: { list: number[]; added?: boolean } };
  expect(() => data.nested.list.push(3)).toThrow(TypeError);
  expect(() => (data.nested.added = true)).toThrow(TypeError);
  expect(() => ((a[0]!.metadata as { correlationId: string }).correlationId = 'changed')).toThrow(TypeError);

  const [own] = await store.readAll({ maxCount: 1 });
  expect(own).toEqual(a[0]);
  expect(own).not.toBe(a[0]);
  expect(Object.isFrozen(own!.data)).toBe(false);
});

it('parses an event once, keeps at most its bound, and forgets the oldest first', () => {
  const recent = new RecentEvents(2);
  let parses = 0;
  const parse = (position: number) => () => {
    parses++;
    return { position: BigInt(position), data: { position } } as unknown as RecordedEvent;
  };
  const first = recent.get(1, parse(1));
  expect(recent.get(1, parse(1))).toBe(first);
  recent.get(2, parse(2));
  recent.get(3, parse(3));
  expect(parses).toBe(3);
  expect(recent.size).toBe(2);
  expect(recent.get(1, parse(1))).not.toBe(first);
  expect(parses).toBe(4);
  expect(Object.isFrozen(deepFreeze({ a: { b: [{}] } }).a.b[0])).toBe(true);
});
