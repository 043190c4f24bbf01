/**
 * A rebuild of the embedded log on several threads. Every projection keeps its rows per referral and reads only
 * its own referral's rows, so the log splits by stream: each thread reads every event of its share of the streams
 * (in log order) into its own shadow file, and one swap copies all the shadows in. Reading and parsing the log is
 * most of a rebuild's work, so splitting by stream (each event is read once) beats splitting by projection
 * (events that several projections read would be read on several threads).
 *
 * Every thread reads up to the head as it was at the start; what came after is then applied on this thread, to
 * each part's shadow, just before the swap.
 */
import type { EventStore } from '@hru/application';
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sqliteLogReader } from './framework/log-reader.js';
import { RateMeter } from './framework/progress.js';
import type { AnyProjection } from './framework/projection.js';
import {
  applyPage,
  finish,
  loadShadow,
  openShadow,
  readersByType,
  removeDatabaseFiles,
  reopenShadow,
  shadowFileFor,
  SHADOW_CACHE_MB,
  shadowAppliers,
  swapIn,
  type RebuildOptions,
  type RebuildReport,
} from './framework/rebuild.js';
import type { RebuildWorkerData, RebuildWorkerMessage } from './rebuild-worker.js';

/** The URL of tsx's ESM register API (`tsx/esm/api`, import condition), resolved from this package. */
function tsxEsmApi(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(packageJson), exported['./esm/api']!.import.default)).href;
}

function startWorker(data: RebuildWorkerData): Worker {
  const url = new URL(`./rebuild-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  if (url.pathname.endsWith('.ts')) {
    // Running from the TypeScript sources (tests, `npm run bench`, `hru` before a build): the worker registers the
    // same loader first, found from here rather than from the working directory, which may be anywhere.
    const bootstrap = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
    return new Worker(bootstrap, { eval: true, workerData: data, execArgv: ['--conditions=@hru/source'] });
  }
  return new Worker(url, { workerData: data });
}

/** Settles when the worker has posted `done` and exited; rejects on its error or an early exit. */
function finished(worker: Worker, onPage: (events: number, position: bigint) => void): Promise<bigint> {
  return new Promise((resolve, reject) => {
    let reached: bigint | undefined;
    worker.on('message', (message: RebuildWorkerMessage) => {
      if (message.kind === 'page') onPage(message.events, BigInt(message.position));
      else reached = BigInt(message.position);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (reached !== undefined && code === 0) resolve(reached);
      else reject(new Error(`rebuild worker exited with code ${code} before finishing`));
    });
  });
}

/**
 * Applies to each part's shadow, on this thread, what was appended while the threads loaded: up to `head`, so
 * that every part ends at the same position and the swap leaves nothing for the live runners to find by
 * themselves (they would only notice a moved checkpoint at their next event). Synchronous from here to the
 * swap, so no append in this process can slip in between.
 */
function catchUp(
  files: readonly string[],
  projections: readonly AnyProjection[],
  logFile: string,
  types: readonly string[],
  upTo: bigint,
  head: bigint,
  cacheMb: number,
  advance: (part: number, events: number, position: bigint) => void,
): bigint {
  if (head <= upTo) return upTo;
  files.forEach((file, part) => {
    const shadow = reopenShadow(file, cacheMb);
    const reader = sqliteLogReader(logFile, types, { partition: { index: part, count: files.length }, upTo: head });
    try {
      const appliers = shadowAppliers(shadow, projections);
      shadow.exec('BEGIN');
      let events = 0;
      for (let next = upTo + 1n; ; ) {
        const page = reader.readSync(next, 2_000);
        if (page.length === 0) break;
        applyPage(appliers, page);
        events += page.length;
        next = page[page.length - 1]!.position + 1n;
      }
      appliers.flush();
      shadow.exec('COMMIT');
      advance(part, events, head);
    } finally {
      reader.close();
      shadow.close();
    }
  });
  return head;
}

/** `projections` must all be in `allProjections` (the worker finds them by name). */
export async function rebuildInParallel(
  store: EventStore,
  db: Database.Database,
  projections: readonly AnyProjection[],
  logFile: string,
  threads: number,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const batchSize = options.batchSize ?? 2_000;
  const cacheMb = SHADOW_CACHE_MB / threads;
  const upTo = await store.headPosition();
  const meter = new RateMeter(upTo);
  const files = Array.from({ length: threads }, () => shadowFileFor(db));
  // Progress by the slowest part: everything below it is loaded.
  const positions = files.map(() => -1n);
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
    const types = [...readersByType(projections).keys()];
    const names = projections.map((p) => p.name);
    const others = files.slice(1).map((file, i) => {
      const data = { logFile, shadowFile: file, projections: names, partition: { index: i + 1, count: threads }, upTo: String(upTo), batchSize, cacheMb };
      const worker = startWorker(data);
      workers.push(worker);
      return finished(worker, (events, position) => advance(i + 1, events, position)).catch(stopAll);
    });
    // This thread loads the first part itself, yielding between pages so that the workers' progress gets through.
    const own = (async () => {
      const shadow = openShadow(files[0]!, projections, cacheMb);
      const reader = sqliteLogReader(logFile, types, { partition: { index: 0, count: threads }, upTo });
      try {
        return await loadShadow(shadow, projections, reader, {
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
        reader.close();
        shadow.close();
      }
    })().catch(stopAll);
    // Every part settles (a failed one stops the rest) before the shadows are removed.
    const settled = await Promise.allSettled([own, ...others]);
    if (failure) throw failure.reason;
    if (settled.some((s) => s.status === 'rejected')) throw new Error('a part of the parallel rebuild failed');
    // Each part has read everything up to `upTo` (a part's last event may lie below it).
    files.forEach((_, part) => advance(part, 0, upTo));
    const reached = catchUp(files, projections, logFile, types, upTo, await store.headPosition(), cacheMb, advance);
    swapIn(db, files.map((file) => ({ file, projections })), reached);
    return finish(meter, projections, reached, options, threads);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    for (const file of files) removeDatabaseFiles(file);
  }
}
