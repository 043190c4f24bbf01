/**
 * Shadow database files: where a rebuild loads the projections' rows while the live tables keep serving. A shadow
 * is disposable (thrown away on any failure, removed after the swap), which is what lets it skip the journal.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { openSqlite } from '@hru/infra/sqlite';
import type { AnyProjection } from '../framework/projection.js';
import { installSchema } from '../framework/schema.js';

/** A new shadow file beside the read-model database (so on the same disk, for the swap's copy). */
export function shadowFileFor(db: Database.Database): string {
  if (!db.name || db.name === ':memory:') throw new Error('Rebuilding needs a read-model database in a file');
  return `${db.name}.rebuild-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`;
}

export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/**
 * Page cache of all shadows together (split between the threads of a parallel rebuild). 16 MB rebuilt the bench's
 * 1,000,000-event log as fast as 32 MB did (two threads: 8.6 to 9.2 s against 8.8 to 9.0 s; one: 13.5 to 13.7 s
 * against 13.4 to 13.5 s), with 8 to 13 MB less growth of the resident memory after the load's first tenth.
 */
export const SHADOW_CACHE_MB = 16;

/** A shadow database file, opened to load more events into it. */
export function reopenShadow(file: string, cacheMb = SHADOW_CACHE_MB): Database.Database {
  const shadow = openSqlite(file, { synchronous: 'OFF' });
  // The shadow is thrown away on any failure, so it needs no journal at all. better-sqlite3 opens connections in
  // SQLite's defensive mode, which refuses journal_mode=OFF (the pragma quietly left it in WAL, so every page was
  // written twice, to the WAL and again when closing checkpointed it into the file): lifted for that pragma only.
  shadow.unsafeMode(true);
  const mode = shadow.pragma('journal_mode = OFF', { simple: true });
  shadow.unsafeMode(false);
  if (mode !== 'off') throw new Error(`A rebuild's shadow database stayed in journal mode ${String(mode)}`);
  // Its page cache is bounded (SQLite spills to the file beyond it), but larger than the default 2 MB: the tables
  // are written all over.
  shadow.pragma(`cache_size = ${-Math.round(cacheMb * 1024)}`);
  return shadow;
}

/** A fresh shadow database holding the projections' tables (without their secondary indexes). */
export function openShadow(file: string, projections: readonly AnyProjection[], cacheMb = SHADOW_CACHE_MB): Database.Database {
  const shadow = reopenShadow(file, cacheMb);
  // Secondary indexes serve queries, not `apply` (which finds its rows by primary key): they are built once,
  // after the rows are in, during the swap.
  for (const projection of projections) installSchema(shadow, projection, { withIndexes: false });
  return shadow;
}
