/** `hru projections rebuild [name]`: rebuild some or all read models while they keep serving. */
import type { EventStore } from '@hru/application';
import type Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { embeddedStoreFile } from '@hru/infra/sqlite';
import { allProjections } from '../fixed-projections.js';
import type { AnyProjection } from '../framework/projection.js';
import { rebuildInParallel } from './parallel.js';
import type { RebuildProgress } from './progress.js';
import type { RebuildOptions, RebuildReport } from './report.js';
import { rebuildProjectionsInto } from './single-pass.js';

export function projectionsNamed(names: readonly string[] = [], known: readonly AnyProjection[] = allProjections): readonly AnyProjection[] {
  if (names.length === 0) return known;
  const unknown = names.filter((n) => !known.some((p) => p.name === n));
  if (unknown.length > 0) {
    throw new Error(`Unknown projection(s) ${unknown.join(', ')}; known: ${known.map((p) => p.name).join(', ')}`);
  }
  return known.filter((p) => names.includes(p.name));
}

export interface ProjectionsRebuildOptions extends Omit<RebuildOptions, 'onProgress'> {
  /**
   * Threads that read the log (each a share of its streams, plus one over the whole log for projections that do
   * not split by stream); more than one only for the embedded store, whose file other threads can open. Default:
   * `defaultRebuildThreads()` for a log of more than `PARALLEL_REBUILD_FROM` events, else one (starting a worker
   * costs more than a short log takes).
   */
  threads?: number;
  /** The projections to choose from by name (default `allProjections`; the engine's list adds the alerts model). */
  known?: readonly AnyProjection[];
}

export const PARALLEL_REBUILD_FROM = 50_000;

export function defaultRebuildThreads(): number {
  return Math.min(2, availableParallelism());
}

export async function rebuildProjections(
  store: EventStore,
  db: Database.Database,
  names?: readonly string[],
  onProgress?: (progress: RebuildProgress) => void,
  options: ProjectionsRebuildOptions = {},
): Promise<RebuildReport> {
  const { threads: chosen, known, ...rest } = options;
  const chosenProjections = projectionsNamed(names, known);
  const rebuildOptions = { ...rest, ...(onProgress ? { onProgress } : {}) };
  // Positions of the embedded log are gapless from 1, so the head is its length.
  const threads = chosen ?? ((await store.headPosition()) > PARALLEL_REBUILD_FROM ? defaultRebuildThreads() : 1);
  if (embeddedStoreFile(store) && threads > 1) return rebuildInParallel(store, db, chosenProjections, threads, rebuildOptions);
  return rebuildProjectionsInto(store, db, chosenProjections, rebuildOptions);
}
