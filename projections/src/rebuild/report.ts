/** What a caller chooses of a rebuild, and what it reports when done. */
import type { LogPartition } from '@hru/application';
import type { AnyProjection } from '../framework/projection.js';
import type { RateMeter, RebuildProgress } from './progress.js';

export interface RebuildOptions {
  /** Called after every page read (the CLI draws its progress bar from it, the runner logs it). */
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
  /** Threads that read the log (see parallel.ts). */
  threads: number;
  /** The projections each thread loaded, this thread's first (plan.ts), with its share of the streams if any. */
  parts: { projections: string[]; partition?: LogPartition }[];
}

/** The last progress (`done`) to the caller, and the report. */
export function finish(
  meter: RateMeter,
  projections: readonly AnyProjection[],
  position: bigint,
  options: RebuildOptions,
  parts: readonly { projections: readonly AnyProjection[]; partition?: LogPartition }[] = [{ projections }],
): RebuildReport {
  const report = meter.progress();
  options.onProgress?.({ ...report, done: true });
  return {
    projections: projections.map((p) => p.name),
    position,
    eventsRead: report.eventsRead,
    seconds: report.elapsedSeconds,
    eventsPerSecond: report.eventsPerSecond,
    threads: parts.length,
    parts: parts.map((part) => ({ projections: part.projections.map((p) => p.name), ...(part.partition ? { partition: part.partition } : {}) })),
  };
}
