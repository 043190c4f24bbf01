/**
 * Rebuild from the start of the log into a shadow database file while the live tables keep serving, then
 * swap in one transaction on the live database: drop the live tables, create them afresh, copy the shadow
 * rows in, and move the checkpoint (with a new generation) to where the shadow got. Readers on other
 * connections see either the old tables or the new ones, never a mix; live runners notice the new
 * generation at their next batch and resume from the new checkpoint.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { openSqlite, type EventStore } from '@hru/infra';
import { readCheckpoint, writeCheckpoint } from './checkpoints.js';
import type { AnyProjection } from './projection.js';
import { createIndexes, installSchema } from './schema.js';
import { logPageReader, type LogPageReader } from './log-reader.js';
import { RateMeter, type RebuildProgress } from './progress.js';

export interface RebuildOptions {
  onProgress?: (progress: RebuildProgress) => void;
  /** Events read per page. */
  batchSize?: number;
  /**
   * Events applied per shadow transaction; by default one transaction for the whole rebuild (fastest: a fresh file
   * without a journal writes each page once). The shadow is disposable, so nothing needs the commits in between.
   */
  commitEvery?: number;
}

export interface RebuildReport {
  projections: string[];
  /** The checkpoint every rebuilt projection continues from. */
  position: bigint;
  eventsRead: number;
  seconds: number;
  eventsPerSecond: number;
}

function shadowFileFor(db: Database.Database): string {
  if (!db.name || db.name === ':memory:') throw new Error('Rebuilding needs a read-model database in a file');
  return `${db.name}.rebuild-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`;
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

export async function rebuildProjectionsInto(
  store: EventStore,
  db: Database.Database,
  projections: readonly AnyProjection[],
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const batchSize = options.batchSize ?? 2_000;
  const commitEvery = options.commitEvery ?? Number.POSITIVE_INFINITY;
  const shadowFile = shadowFileFor(db);
  const shadow = openSqlite(shadowFile, { synchronous: 'OFF' });
  let reader: LogPageReader | undefined;
  try {
    // The shadow is thrown away on any failure, so it needs no journal at all. Its page cache is bounded (SQLite
    // spills to the file beyond it), but larger than the default 2 MB: the tables are written all over.
    shadow.pragma('journal_mode = OFF');
    shadow.pragma('cache_size = -32768');
    // Secondary indexes serve queries, not `apply` (which finds its rows by primary key): they are built once,
    // after the rows are in, during the swap.
    for (const projection of projections) installSchema(shadow, projection, { withIndexes: false });

    const byType = new Map<string, AnyProjection[]>();
    for (const projection of projections) {
      for (const type of projection.eventTypes) byType.set(type, [...(byType.get(type) ?? []), projection]);
    }
    reader = logPageReader(store, [...byType.keys()]);

    const meter = new RateMeter(await store.headPosition());
    let reached = -1n;
    let next = 0n;
    let sinceCommit = 0;
    shadow.exec('BEGIN');
    for (;;) {
      const head = await store.headPosition();
      const page = await reader.read(next, batchSize);
      if (page.length === 0) {
        // Everything up to `head` has been read: events that the filter skipped count as seen.
        if (head > reached) reached = head;
        break;
      }
      for (const event of page) {
        for (const projection of byType.get(event.type) ?? []) projection.apply(shadow, event);
      }
      reached = page[page.length - 1]!.position;
      next = reached + 1n;
      sinceCommit += page.length;
      if (sinceCommit >= commitEvery) {
        shadow.exec('COMMIT; BEGIN');
        sinceCommit = 0;
      }
      meter.advance(page.length, reached, head);
      options.onProgress?.(meter.progress());
    }
    shadow.exec('COMMIT');
    shadow.close();

    swapIn(db, shadowFile, projections, reached);
    const report = meter.progress();
    options.onProgress?.({ ...report, done: true });
    return {
      projections: projections.map((p) => p.name),
      position: reached,
      eventsRead: report.eventsRead,
      seconds: report.elapsedSeconds,
      eventsPerSecond: report.eventsPerSecond,
    };
  } finally {
    reader?.close();
    if (shadow.open) shadow.close();
    removeDatabaseFiles(shadowFile);
  }
}

function swapIn(db: Database.Database, shadowFile: string, projections: readonly AnyProjection[], position: bigint): void {
  // ATTACH cannot run inside a transaction, so it brackets the swap.
  db.prepare('ATTACH DATABASE ? AS rebuild').run(shadowFile);
  try {
    db.transaction(() => {
      for (const projection of projections) {
        installSchema(db, projection, { withIndexes: false });
        for (const table of projection.tables) db.exec(`INSERT INTO main."${table}" SELECT * FROM rebuild."${table}"`);
        createIndexes(db, projection);
        const previous = readCheckpoint(db, projection.name);
        writeCheckpoint(db, {
          projection: projection.name,
          version: projection.version,
          position,
          generation: (previous?.generation ?? 0) + 1,
        });
      }
    }).immediate();
  } finally {
    db.exec('DETACH DATABASE rebuild');
  }
}
