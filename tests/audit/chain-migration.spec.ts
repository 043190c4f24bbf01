/** Migration 2 chains the events of a file written before hash chains existed, without changing their values. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, SqliteEventStore, canonicalJson, eventStoreMigrations, linkHash, migrate, openSqlite, chainKeyFile, loadOrCreateChainKey, type VerifyReport } from '@hru/infra';
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

/** A log chained (unkeyed) by migrations 1-2, then opened by a store with a key: migration 3's checkpoint. */
async function unkeyedLog(): Promise<{ file: string; key: Buffer }> {
  const { dir, cleanup } = tempDir('hru-keyed-migration-');
  cleanups.push(cleanup);
  const file = join(dir, 'events.sqlite');
  const db = openSqlite(file);
  migrate(db, eventStoreMigrations.filter((m) => m.version <= 2));
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let prev = GENESIS_HASH;
  for (let revision = 0; revision < 3; revision++) {
    const event = testEvent('Old', { revision });
    const [dataJson, metadataJson] = [canonicalJson(event.data), canonicalJson(event.metadata)];
    const hash = linkHash(prev, { streamId: 'old-a', revision, position: revision + 1, type: 'Old', dataJson, metadataJson }); // no key: as chained before
    insert.run('old-a', revision, event.metadata.eventId, 'Old', dataJson, metadataJson, '2026-01-01T00:00:00.000Z', prev, hash);
    prev = hash;
  }
  db.prepare("INSERT INTO streams (stream_id, revision, head_hash) VALUES ('old-a', 2, ?)").run(prev);
  db.close();
  return { file, key: Buffer.from('k'.repeat(40)) };
}

/** A full verification by a store opened with the key, as `hru audit verify` does. */
async function verifyWith(file: string, key: Buffer): Promise<VerifyReport> {
  const store = new SqliteEventStore(file, { chainKey: key });
  try {
    return await store.verifyChains();
  } finally {
    await store.close();
  }
}

describe('migration 3: keyed chains over a log chained without a key', () => {
  it('reports the unkeyed events as such, covered by a keyed checkpoint; new events are keyed', async () => {
    const { file, key } = await unkeyedLog();
    const store = new SqliteEventStore(file, { chainKey: key });
    try {
      await store.appendToStream('old-a', [testEvent('New')], { expectedRevision: 2 });
      expect(await store.verifyChains()).toMatchObject({ ok: true, events: 4, unkeyed: { events: 3, upToPosition: '3' } });
      const db = openSqlite(file);
      const row = db.prepare('SELECT prev_hash, data, metadata, hash FROM events WHERE position = 4').get() as Record<string, string>;
      db.close();
      const unkeyed = linkHash(row.prev_hash!, { streamId: 'old-a', revision: 3, position: 4, type: 'New', dataJson: row.data!, metadataJson: row.metadata! });
      expect(row.hash).not.toBe(unkeyed);
    } finally {
      await store.close();
    }
  });

  it('an unkeyed event edited with the unkeyed chain recomputed breaks the checkpoint', async () => {
    const { file, key } = await unkeyedLog();
    await new SqliteEventStore(file, { chainKey: key }).close();
    const db = openSqlite(file);
    type Raw = { position: number; stream_id: string; revision: number; type: string; data: string; metadata: string };
    const rows = db.prepare('SELECT * FROM events ORDER BY position').all() as Raw[];
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const dataJson = row.revision === 1 ? canonicalJson({ revision: 1, forged: true }) : row.data;
      prev = linkHash(prev, { streamId: row.stream_id, revision: row.revision, position: row.position, type: row.type, dataJson, metadataJson: row.metadata });
      db.prepare('UPDATE events SET data = ?, hash = ?, prev_hash = coalesce((SELECT hash FROM events WHERE position = ?), ?) WHERE position = ?').run(dataJson, prev, row.position - 1, GENESIS_HASH, row.position);
    }
    db.prepare("UPDATE streams SET head_hash = ? WHERE stream_id = 'old-a'").run(prev);
    db.close();
    expect((await verifyWith(file, key)).breaks).toEqual([expect.objectContaining({ kind: 'checkpoint-mismatch', position: '3' })]);
  });

  it('moving the keyed boundary (to pass keyed events off as unkeyed) breaks the checkpoint MAC', async () => {
    const { file, key } = await unkeyedLog();
    await new SqliteEventStore(file, { chainKey: key }).close();
    const db = openSqlite(file);
    db.prepare('UPDATE chain_checkpoint SET keyed_from = 100').run();
    db.close();
    expect((await verifyWith(file, key)).firstBreak).toMatchObject({ kind: 'checkpoint-mismatch', found: expect.stringContaining('does not verify') });
  });
});

it('a store without a configured key generates one beside the log, readable by its owner only', async () => {
  const { dir, cleanup } = tempDir('hru-chain-key-');
  cleanups.push(cleanup);
  await new SqliteEventStore(join(dir, 'events.sqlite')).close();
  expect(statSync(chainKeyFile(dir)).mode & 0o777).toBe(0o600);
  expect(loadOrCreateChainKey(dir).length).toBeGreaterThanOrEqual(32);
  expect(loadOrCreateChainKey(dir, 'c'.repeat(32)).toString()).toBe('c'.repeat(32)); // HRU_CHAIN_KEY wins
});
