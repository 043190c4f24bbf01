/**
 * A rebuild of the embedded log on several threads: each loads some of the projections into its own shadow file,
 * reading the log for their event types, and one swap copies all the shadows in. plan.ts shares the projections
 * out by a cost model of their applies and their reading, priced with the log's mix of event types sampled from its
 * latest events: on two threads over the bench's log, the statistics and re-offending (which read the same
 * interventions) on this thread and the others on a worker; when the projections that keep their rows per referral
 * are most of the work (a rebuild of only them), as shares of the streams on threads of their own, each reading every
 * event of its share in log order.
 *
 * Every thread reads up to the head as it was at the start; what came after is then applied on this thread, to
 * each part's shadow, just before the swap.
 */
import type { EventStore, LogPartition } from '@hru/application';
import type Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { embeddedStoreFile } from '@hru/infra/sqlite';
import type { AnyProjection } from '../framework/projection.js';
import { applyPage, loadShadow, shadowAppliers, typesRead } from './load.js';
import { logPageReader, type LogPageReader } from './log-pages.js';
import { planParts, type TypeShares } from './plan.js';
import { RateMeter } from './progress.js';
import { finish, type RebuildOptions, type RebuildReport } from './report.js';
import { openShadow, removeDatabaseFiles, reopenShadow, shadowFileFor, SHADOW_CACHE_MB } from './shadow.js';
import { swapIn } from './swap.js';
import { withLeanHeap } from './lean-heap.js';
import { finished, startWorker } from './worker-thread.js';

/** What one thread loads into its own shadow file: some projections, over one share of the streams. */
interface Part {
  file: string;
  projections: readonly AnyProjection[];
  partition?: LogPartition;
}

/** The plan's parts (plan.ts), each with its shadow file; the first is loaded on this thread. */
function shadowParts(db: Database.Database, projections: readonly AnyProjection[], threads: number, shares: TypeShares | undefined): Part[] {
  return planParts(projections, threads, shares).map((part) => ({ file: shadowFileFor(db), ...part }));
}

/** Events the plan looks at to learn the log's mix of event types: the latest, a few milliseconds' read. */
const SAMPLE_EVENTS = 10_000;

/** Each event type's share of the log, from its latest events (positions are gapless from 1); none for an empty log. */
async function sampledTypeShares(store: EventStore, projections: readonly AnyProjection[], upTo: bigint): Promise<TypeShares | undefined> {
  const from = upTo > BigInt(SAMPLE_EVENTS) ? upTo - BigInt(SAMPLE_EVENTS) + 1n : 1n;
  if (upTo < from) return undefined;
  const events = await store.readAllRaw({ fromPosition: from, upTo, maxCount: SAMPLE_EVENTS, eventTypes: typesRead(projections) });
  const shares = new Map<string, number>();
  const each = 1 / Number(upTo - from + 1n);
  for (const event of events) shares.set(event.type, (shares.get(event.type) ?? 0) + each);
  return shares;
}

/** The events of a part's types in its share of the streams, up to `upTo`. */
function partReader(store: EventStore, part: Part, upTo: bigint): LogPageReader {
  return logPageReader(store, typesRead(part.projections), { partition: part.partition, upTo });
}

/**
 * Applies to each part's shadow, on this thread, what was appended while the threads loaded: up to `head`, so
 * that every part ends at the same position and the swap leaves nothing for the live runners to find by
 * themselves (they would only notice a moved checkpoint at their next event). The embedded store answers its
 * reads without yielding to the event loop, and its appends commit in a later turn of it, so no append of this
 * process slips in between here and the swap.
 */
async function catchUp(
  store: EventStore,
  parts: readonly Part[],
  upTo: bigint,
  head: bigint,
  cacheMb: number,
  advance: (part: number, events: number, position: bigint) => void,
): Promise<bigint> {
  if (head <= upTo) return upTo;
  for (const [index, part] of parts.entries()) {
    const shadow = reopenShadow(part.file, cacheMb);
    try {
      const reader = partReader(store, part, head);
      const appliers = shadowAppliers(shadow, part.projections);
      shadow.exec('BEGIN');
      let events = 0;
      for (let next = upTo + 1n; ; ) {
        const page = await reader.read(next, 2_000);
        if (page.length === 0) break;
        applyPage(appliers, page);
        events += page.length;
        next = page[page.length - 1]!.position + 1n;
      }
      appliers.finish();
      shadow.exec('COMMIT');
      advance(index, events, head);
    } finally {
      shadow.close();
    }
  }
  return head;
}

/**
 * `store` must be embedded in a file (`embeddedStoreFile`), which the worker threads open read-only. Workers find
 * their projections by name in `allProjections`; the plan keeps any other on this thread. Runs on `threads` threads
 * (or fewer, when there are fewer parts).
 */
export function rebuildInParallel(
  store: EventStore,
  db: Database.Database,
  projections: readonly AnyProjection[],
  threads: number,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  return withLeanHeap(() => rebuildOnThreads(store, db, projections, threads, options));
}

async function rebuildOnThreads(
  store: EventStore,
  db: Database.Database,
  projections: readonly AnyProjection[],
  threads: number,
  options: RebuildOptions,
): Promise<RebuildReport> {
  const storeFile = embeddedStoreFile(store);
  if (!storeFile) throw new Error('A rebuild on several threads needs the embedded store in a file');
  const batchSize = options.batchSize ?? 2_000;
  const upTo = await store.headPosition();
  const meter = new RateMeter(upTo);
  const parts = shadowParts(db, projections, threads, await sampledTypeShares(store, projections, upTo));
  const cacheMb = SHADOW_CACHE_MB / parts.length;
  // Progress by the slowest part: everything below it is loaded.
  const positions = parts.map(() => -1n);
  const advance = (part: number, events: number, position: bigint) => {
    positions[part] = position;
    meter.advance(events, positions.reduce((a, b) => (a < b ? a : b)), upTo);
    options.onProgress?.(meter.progress());
  };
  const workers: Worker[] = [];
  // The first part to fail stops the others: workers are terminated, this thread's part throws at its next page.
  let failure: { reason: unknown } | undefined;
  const stopAll = (reason: unknown) => {
    failure ??= { reason };
    for (const worker of workers) void worker.terminate();
    throw reason;
  };
  try {
    // The plan gives at least one part: there is at least one projection.
    const [first, ...rest] = parts as [Part, ...Part[]];
    const others = rest.map((part, i) => {
      const worker = startWorker({
        storeFile,
        shadowFile: part.file,
        projections: part.projections.map((p) => p.name),
        partition: part.partition,
        upTo: String(upTo),
        batchSize,
        cacheMb,
      });
      workers.push(worker);
      return finished(worker, (events, position) => advance(i + 1, events, position)).catch(stopAll);
    });
    // This thread loads the first part itself, yielding between pages so that the workers' progress gets through.
    const own = (async () => {
      const shadow = openShadow(first.file, first.projections, cacheMb);
      try {
        return await loadShadow(shadow, first.projections, partReader(store, first, upTo), {
          batchSize,
          commitEvery: options.commitEvery ?? Number.POSITIVE_INFINITY,
          head: async () => upTo,
          onPage: async (events, position) => {
            advance(0, events, position);
            await new Promise((resolve) => setImmediate(resolve));
            if (failure) throw failure.reason;
          },
        });
      } finally {
        shadow.close();
      }
    })().catch(stopAll);
    // Every part settles (a failed one stops the rest) before the shadows are removed.
    const settled = await Promise.allSettled([own, ...others]);
    if (failure) throw failure.reason;
    if (settled.some((s) => s.status === 'rejected')) throw new Error('a part of the parallel rebuild failed');
    // Each part has read everything up to `upTo` (a part's last event may lie below it).
    parts.forEach((_, part) => advance(part, 0, upTo));
    const reached = await catchUp(store, parts, upTo, await store.headPosition(), cacheMb, advance);
    swapIn(db, parts, reached);
    return finish(meter, projections, reached, options, parts);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    for (const part of parts) removeDatabaseFiles(part.file);
  }
}
