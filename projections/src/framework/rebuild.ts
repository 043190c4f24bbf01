/**
 * Rebuild from the start of the log into a shadow database file while the live tables keep serving, then
 * swap in one transaction on the live database: drop the live tables, create them afresh, copy the shadow
 * rows in, and move the checkpoint (with a new generation) to where the shadow got. Readers on other
 * connections see either the old tables or the new ones, never a mix; live runners notice the new
 * generation at their next batch and resume from the new checkpoint.
 */
import type { EventStore } from '@hru/application';
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { openSqlite } from '@hru/infra';
import { readCheckpoint, writeCheckpoint } from './checkpoints.js';
import type { AnyProjection, ProjectedEvent, ShadowApplier } from './projection.js';
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
  /** Threads that read the log (see parallel-rebuild.ts). */
  threads: number;
}

export function shadowFileFor(db: Database.Database): string {
  if (!db.name || db.name === ':memory:') throw new Error('Rebuilding needs a read-model database in a file');
  return `${db.name}.rebuild-${process.pid}-${randomBytes(4).toString('hex')}.sqlite`;
}

export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
}

/** Page cache of all shadows together (split between the threads of a parallel rebuild). */
export const SHADOW_CACHE_MB = 32;

/** A shadow database file, opened to load more events into it. */
export function reopenShadow(file: string, cacheMb = SHADOW_CACHE_MB): Database.Database {
  const shadow = openSqlite(file, { synchronous: 'OFF' });
  // The shadow is thrown away on any failure, so it needs no journal at all. Its page cache is bounded (SQLite
  // spills to the file beyond it), but larger than the default 2 MB: the tables are written all over.
  shadow.pragma('journal_mode = OFF');
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

/** The event types the projections read, each with the projections that read it. */
export function readersByType(projections: readonly AnyProjection[]): Map<string, AnyProjection[]> {
  const byType = new Map<string, AnyProjection[]>();
  for (const projection of projections) {
    for (const type of projection.eventTypes) byType.set(type, [...(byType.get(type) ?? []), projection]);
  }
  return byType;
}

/** Each projection's way of applying a rebuild to one shadow, by the event types it reads. */
export interface ShadowAppliers {
  byType: Map<string, ShadowApplier[]>;
  flush(): void;
}

export function shadowAppliers(shadow: Database.Database, projections: readonly AnyProjection[]): ShadowAppliers {
  const byType = new Map<string, ShadowApplier[]>();
  const appliers = projections.map((projection) => {
    const applier: ShadowApplier = projection.shadowApplier?.(shadow) ?? { apply: (event) => projection.apply(shadow, event), flush() {} };
    for (const type of projection.eventTypes) byType.set(type, [...(byType.get(type) ?? []), applier]);
    return applier;
  });
  return { byType, flush: () => appliers.forEach((a) => a.flush()) };
}

export function applyPage(appliers: ShadowAppliers, page: readonly ProjectedEvent[]): void {
  for (const event of page) {
    const forType = appliers.byType.get(event.type);
    if (forType) for (const applier of forType) applier.apply(event);
  }
}

export interface ShadowLoad {
  /** Where to start reading (default: the start of the log). */
  from?: bigint;
  batchSize: number;
  commitEvery: number;
  /** Called with the head of the log before each page is read; the read stops at an empty page. */
  head(): Promise<bigint>;
  /** After each page: events in it, the last position read, the head it was read against. */
  onPage?(events: number, reached: bigint, head: bigint): void | Promise<void>;
}

/**
 * Applies the log from its start (or `from`) to the shadow's projections, page by page, until a page comes back
 * empty. Returns the position the shadow is complete up to.
 */
export async function loadShadow(
  shadow: Database.Database,
  projections: readonly AnyProjection[],
  reader: LogPageReader,
  load: ShadowLoad,
): Promise<bigint> {
  const appliers = shadowAppliers(shadow, projections);
  let next = load.from ?? 0n;
  let reached = next - 1n;
  let sinceCommit = 0;
  shadow.exec('BEGIN');
  for (;;) {
    const head = await load.head();
    const page = await reader.read(next, load.batchSize);
    if (page.length === 0) {
      // Everything up to `head` has been read: events that the filter skipped count as seen.
      if (head > reached) reached = head;
      break;
    }
    applyPage(appliers, page);
    reached = page[page.length - 1]!.position;
    next = reached + 1n;
    sinceCommit += page.length;
    if (sinceCommit >= load.commitEvery) {
      appliers.flush();
      shadow.exec('COMMIT; BEGIN');
      sinceCommit = 0;
    }
    await load.onPage?.(page.length, reached, head);
  }
  appliers.flush();
  shadow.exec('COMMIT');
  return reached;
}

export async function rebuildProjectionsInto(
  store: EventStore,
  db: Database.Database,
  projections: readonly AnyProjection[],
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const shadowFile = shadowFileFor(db);
  let shadow: Database.Database | undefined;
  let reader: LogPageReader | undefined;
  try {
    shadow = openShadow(shadowFile, projections);
    reader = logPageReader(store, [...readersByType(projections).keys()]);
    const meter = new RateMeter(await store.headPosition());
    const reached = await loadShadow(shadow, projections, reader, {
      batchSize: options.batchSize ?? 2_000,
      commitEvery: options.commitEvery ?? Number.POSITIVE_INFINITY,
      head: () => store.headPosition(),
      onPage: (events, position, head) => {
        meter.advance(events, position, head);
        options.onProgress?.(meter.progress());
      },
    });
    shadow.close();

    swapIn(db, [{ file: shadowFile, projections }], reached);
    return finish(meter, projections, reached, options);
  } finally {
    reader?.close();
    if (shadow?.open) shadow.close();
    removeDatabaseFiles(shadowFile);
  }
}

export function finish(
  meter: RateMeter,
  projections: readonly AnyProjection[],
  position: bigint,
  options: RebuildOptions,
  threads = 1,
): RebuildReport {
  const report = meter.progress();
  options.onProgress?.({ ...report, done: true });
  return {
    projections: projections.map((p) => p.name),
    position,
    eventsRead: report.eventsRead,
    seconds: report.elapsedSeconds,
    eventsPerSecond: report.eventsPerSecond,
    threads,
  };
}

/** Shadow files, each holding the rows of some projections (or of part of the log's streams for them). */
export interface Shadow {
  file: string;
  projections: readonly AnyProjection[];
}

/**
 * Replaces the live tables of every projection in the shadows with the shadows' rows, and moves their checkpoints
 * to `position`, in one transaction. Shadows that hold the same projection (for different streams) are copied in
 * one after the other.
 */
export function swapIn(db: Database.Database, shadows: readonly Shadow[], position: bigint): void {
  // ATTACH cannot run inside a transaction, so it brackets the swap.
  let attached = 0;
  try {
    for (const shadow of shadows) db.prepare(`ATTACH DATABASE ? AS rebuild${attached++}`).run(shadow.file);
    db.transaction(() => {
      const projections = [...new Set(shadows.flatMap((s) => s.projections))];
      for (const projection of projections) {
        installSchema(db, projection, { withIndexes: false });
        shadows.forEach((shadow, i) => {
          if (!shadow.projections.includes(projection)) return;
          for (const table of projection.tables) db.exec(`INSERT INTO main."${table}" SELECT * FROM rebuild${i}."${table}"`);
        });
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
    for (let i = 0; i < attached; i++) db.exec(`DETACH DATABASE rebuild${i}`);
  }
}
