/**
 * WAL checkpoints on a worker thread (issue 19): the writing connection's commits no longer copy the WAL back and
 * fsync inside the event loop, yet the pages still reach the database file, nothing committed is lost, and the
 * thread stops with the store.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAFETY_NET_PAGES, startWalCheckpointer } from '../../infra/src/eventstore/sqlite/wal-checkpointer.js';
import { openSqlite, SqliteEventStore } from '@hru/infra';
import { tempDir } from '../support/temp-dir.js';
import { finished, spawnTs } from '../support/spawn-ts.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function dir(): string {
  const made = tempDir('hru-wal-checkpointer-');
  cleanups.push(made.cleanup);
  return made.dir;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes about `pages` pages of 4 KiB in separate commits. */
function fill(db: ReturnType<typeof openSqlite>, pages: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, blob BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO filler (blob) VALUES (?)');
  for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(3_500, i % 251));
}

describe('WAL checkpointer', () => {
  it('leaves the writer only a safety-net threshold and copies the WAL back from its own thread', async () => {
    const file = join(dir(), 'rm.sqlite');
    const db = openSqlite(file, { synchronous: 'NORMAL' });
    const checkpointer = startWalCheckpointer(db, { intervalMs: 3_600_000 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(SAFETY_NET_PAGES);
    // 2,000 pages is twice SQLite's default threshold: before, one of these commits would have checkpointed.
    fill(db, 2_000);
    const walPages = statSync(`${file}-wal`).size / 4_096;
    expect(walPages).toBeGreaterThan(2_000);
    // The database file still holds only the schema: nothing was copied back on this thread.
    expect(statSync(file).size).toBeLessThan(100 * 4_096);
    // Stopping runs the last checkpoint: the rows are in the database file.
    await checkpointer.stop();
    expect(statSync(file).size).toBeGreaterThan(2_000 * 4_096);
    db.close();
    const reopened = openSqlite(file);
    expect(reopened.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(2_000);
    reopened.close();
  });

  it('checkpoints every interval while the writer goes on', async () => {
    const file = join(dir(), 'rm.sqlite');
    const db = openSqlite(file, { synchronous: 'NORMAL' });
    const checkpointer = startWalCheckpointer(db, { intervalMs: 20 });
    fill(db, 500);
    await until(() => statSync(file).size > 500 * 4_096);
    fill(db, 500);
    await until(() => statSync(file).size > 1_000 * 4_096);
    await checkpointer.stop();
    await checkpointer.stop(); // a second stop is the same one
    expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(1_000);
    db.close();
  });

  it('reports a checkpoint that fails, and refuses a database in memory', async () => {
    // The worker cannot open a file that is no longer there: the error is told, and the stop still resolves.
    const errors: string[] = [];
    const unlinked = openSqlite(join(dir(), 'other.sqlite'));
    rmSync(unlinked.name);
    const checkpointer = startWalCheckpointer(unlinked, { intervalMs: 20, onError: (message) => errors.push(message) });
    await checkpointer.stop();
    expect(errors.length).toBeGreaterThan(0);
    unlinked.close();
    expect(() => startWalCheckpointer(openSqlite(':memory:'))).toThrow(/in-memory/);
  });

  it('runs beside the event store when asked, and stops with it', async () => {
    const file = join(dir(), 'events.sqlite');
    const store = new SqliteEventStore(file, { checkpointInWorker: true });
    const checkpointing = (store as unknown as { db: ReturnType<typeof openSqlite> }).db;
    expect(checkpointing.pragma('wal_autocheckpoint', { simple: true })).toBe(SAFETY_NET_PAGES);
    const plain = new SqliteEventStore(join(dir(), 'plain.sqlite'));
    expect((plain as unknown as { db: ReturnType<typeof openSqlite> }).db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    await plain.close();
    for (let i = 0; i < 50; i++) {
      await store.appendToStream(`s-${i}`, [
        { type: 'Noted', data: { i, text: 'x'.repeat(2_000) }, metadata: { eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, occurredAt: new Date().toISOString(), schemaVersion: 1 } as never },
      ]);
    }
    await store.close();
    const reopened = new SqliteEventStore(file);
    expect(await reopened.headPosition()).toBe(50n);
    await reopened.close();
  });

  it('keeps a process alive while it stops, so the code after a close still runs', async () => {
    // Once the thread was unreferenced and nothing else was pending, the process exited 0 inside `close()`.
    const result = await finished(spawnTs('tests/foundation/support/close-store-and-say.ts', [dir()]));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('closed\n');
    expect(result.code).toBe(0);
  });
});
