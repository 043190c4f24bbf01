/**
 * A worker thread of a parallel rebuild has no store object, only the embedded store's file: it opens a read-only
 * store on it, which sees what the writable store commits and cannot write.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { embeddedStoreFile, openReadOnlyEventStore, SqliteEventStore } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { testEvent } from '../support/events.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('reads what the writable store on the same file commits, and refuses to append', async () => {
  const { dir, cleanup } = tempDir('hru-read-only-');
  cleanups.push(cleanup);
  const writer = new SqliteEventStore(join(dir, 'events.sqlite'));
  cleanups.push(() => writer.close());
  await writer.appendToStream('s-1', [testEvent('Seen', { i: 0 })]);

  const file = embeddedStoreFile(writer);
  expect(file).toBe(join(dir, 'events.sqlite'));
  const reader = openReadOnlyEventStore(file!);
  cleanups.push(() => reader.close());
  await writer.appendToStream('s-2', [testEvent('Seen', { i: 1 })]);

  const read = await reader.readAllRaw({ fromPosition: 0n, maxCount: 10, eventTypes: ['Seen'] });
  expect(read.map((e) => e.data)).toEqual([{ i: 0 }, { i: 1 }]);
  await expect(reader.appendToStream('s-3', [testEvent('Refused')])).rejects.toThrow();
  expect(await writer.headPosition()).toBe(2n);
});

it('names no file for a store in memory', async () => {
  const store = new SqliteEventStore(':memory:');
  cleanups.push(() => store.close());
  expect(embeddedStoreFile(store)).toBeUndefined();
});
