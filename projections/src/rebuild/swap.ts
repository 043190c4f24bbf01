/**
 * The swap, in one transaction on the live database: drop the live tables, create them afresh, copy the shadow
 * rows in, and move the checkpoint (with a new generation) to where the shadows got. Readers on other connections
 * see either the old tables or the new ones, never a mix; live runners notice the new generation at their next
 * batch and resume from the new checkpoint. The WAL the swap wrote is copied back into the file beside it, not in
 * its commit (`walCheckpointsDone` tells when).
 */
import type Database from 'better-sqlite3';
import { withCheckpointBeside } from '@hru/infra/sqlite';
import { readCheckpoint, writeCheckpoint } from '../framework/checkpoints.js';
import type { AnyProjection } from '../framework/projection.js';
import { createIndexes, installSchema } from '../framework/schema.js';

/**
 * Page cache of the live database while the swap runs, in MB (its own is SQLite's default 2 MB). The copy and the
 * index builds (each a sort) all happen in the one transaction: with the default cache, SQLite spills dirty pages to
 * the WAL mid-transaction and sorts in many small runs merged through temporary files. A 200,000-event rebuild's
 * swap took about a third less with 32 MB. Set back when the swap ends, so it bounds a moment, not the process.
 */
export const SWAP_CACHE_MB = 32;

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
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  try {
    db.pragma(`cache_size = ${-SWAP_CACHE_MB * 1024}`);
    for (const shadow of shadows) db.prepare(`ATTACH DATABASE ? AS rebuild${attached++}`).run(shadow.file);
    // Its commit leaves the WAL's copy-back to a thread of its own (checkpoint-beside.ts): the rows are served from
    // the commit on, and the copy of the whole swap back into the file no longer blocks the event loop.
    withCheckpointBeside(db, () => db.transaction(() => {
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
    }).immediate());
  } finally {
    for (let i = 0; i < attached; i++) db.exec(`DETACH DATABASE rebuild${i}`);
    db.pragma(`cache_size = ${cacheSize}`);
  }
}
