/** Migration 2 chains the events of a file written before hash chains existed, without changing their values. */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SqliteEventStore, eventStoreMigrations, migrate, openSqlite } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { testEvent } from '../support/events.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

it('backfills every stream chain and its head; values read back unchanged; later appends extend the chain', async () => {
  const { dir, cleanup } = tempDir('hru-chain-migration-');
  cleanups.push(cleanup);
  const file = join(dir, 'events.sqlite');
  const db = openSqlite(file);
  migrate(db, eventStoreMigrations.filter((m) => m.version === 1));
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const written = ['old-a', 'old-b', 'old-a'].map((stream, i) => ({ stream, event: testEvent('Old', { z: i, a: { y: 1, b: [2, { d: 1, c: 0 }] } }) }));
  written.forEach(({ stream, event }, i) =>
    // Keys deliberately out of order: the backfill rewrites bodies in canonical form.
    insert.run(stream, stream === 'old-a' ? (i === 0 ? 0 : 1) : 0, event.metadata.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), '2026-01-01T00:00:00.000Z'),
  );
  db.prepare("INSERT INTO streams (stream_id, revision) VALUES ('old-a', 1), ('old-b', 0)").run();
  db.close();

  const store = new SqliteEventStore(file);
  try {
    expect(await store.verifyChains()).toMatchObject({ ok: true, events: 3, streams: 2 });
    const a = await store.readStream('old-a');
    expect(a.map((e) => e.data)).toEqual([written[0]!.event.data, written[2]!.event.data]);
    expect(a[0]!.metadata).toEqual(written[0]!.event.metadata);
    await store.appendToStream('old-a', [testEvent('New')], { expectedRevision: 1 });
    expect(await store.verifyChains()).toMatchObject({ ok: true, events: 4 });
  } finally {
    await store.close();
  }
});
