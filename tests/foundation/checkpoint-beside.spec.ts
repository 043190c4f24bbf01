/**
 * A big write whose WAL is copied back beside it (issue 16: the rebuild's swap): its commit returns without the
 * copy-back, the rows are in the file once `walCheckpointsDone` resolves, and the connection's own automatic
 * checkpoint comes back whatever happened, even when two such writes overlap.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, walCheckpointsDone, withCheckpointBeside } from '@hru/infra/sqlite';
import { tempDir } from '../support/temp-dir.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function database(): { db: ReturnType<typeof openSqlite>; file: string } {
  const made = tempDir('hru-checkpoint-beside-');
  cleanups.push(made.cleanup);
  const file = join(made.dir, 'rm.sqlite');
  const db = openSqlite(file, { synchronous: 'NORMAL' });
  db.exec('CREATE TABLE filler (n INTEGER PRIMARY KEY, blob BLOB NOT NULL)');
  cleanups.unshift(() => db.open && db.close());
  return { db, file };
}

/** About `pages` pages of 4 KiB in one transaction. */
function fill(db: ReturnType<typeof openSqlite>, pages: number): void {
  const insert = db.prepare('INSERT INTO filler (blob) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(3_500, i % 251));
  })();
}

const automatic = (db: ReturnType<typeof openSqlite>) => db.pragma('wal_autocheckpoint', { simple: true });
const rows = (db: ReturnType<typeof openSqlite>) => db.prepare('SELECT count(*) FROM filler').pluck().get();

describe('a write checkpointed beside it', () => {
  it('commits without copying the WAL back, then copies it on another thread and sets the threshold back', async () => {
    const { db, file } = database();
    db.pragma('wal_autocheckpoint = 700');
    // 3,000 pages in one commit: with the threshold at 700 the commit itself would have copied them into the file.
    expect(withCheckpointBeside(db, () => (fill(db, 3_000), 'written'))).toBe('written');
    expect(statSync(file).size).toBeLessThan(100 * 4_096);
    expect(rows(db)).toBe(3_000);
    // Off while the thread works, so that no commit on this thread runs the copy-back instead.
    expect(automatic(db)).toBe(0);
    await walCheckpointsDone(db);
    expect(statSync(file).size).toBeGreaterThan(3_000 * 4_096);
    expect(automatic(db)).toBe(700);
    db.close();
    const reopened = openSqlite(file);
    expect(rows(reopened)).toBe(3_000);
    reopened.close();
  });

  it('starts no thread for a write that leaves the WAL under the threshold', async () => {
    const { db, file } = database();
    withCheckpointBeside(db, () => fill(db, 50));
    expect(automatic(db)).toBe(1_000);
    await walCheckpointsDone(db);
    // Nothing copied back, then or later: a small commit never checkpointed.
    expect(statSync(file).size).toBeLessThan(40 * 4_096);
    expect(rows(db)).toBe(50);
  });

  it('sets the threshold back when the write fails, and rolls it back', () => {
    const { db } = database();
    expect(() =>
      withCheckpointBeside(db, () =>
        db.transaction(() => {
          fill(db, 10);
          throw new Error('the swap failed');
        })(),
      ),
    ).toThrow('the swap failed');
    expect(automatic(db)).toBe(1_000);
    expect(rows(db)).toBe(0);
  });

  it('keeps the connection’s own threshold through overlapping writes, and waits for both', async () => {
    const { db, file } = database();
    withCheckpointBeside(db, () => fill(db, 1_500));
    // The second starts while the first thread may still work: what it finds (0) is not the connection's setting.
    withCheckpointBeside(db, () => fill(db, 1_500));
    await walCheckpointsDone(db);
    expect(automatic(db)).toBe(1_000);
    expect(statSync(file).size).toBeGreaterThan(3_000 * 4_096);
    expect(rows(db)).toBe(3_000);
  });

  it('just runs the write on a database in memory', async () => {
    const db = openSqlite(':memory:');
    db.exec('CREATE TABLE filler (n INTEGER PRIMARY KEY, blob BLOB NOT NULL)');
    withCheckpointBeside(db, () => fill(db, 10));
    await walCheckpointsDone(db);
    expect(rows(db)).toBe(10);
    db.close();
  });
});
