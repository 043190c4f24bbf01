/**
 * WAL checkpoints on a thread of their own. SQLite runs a checkpoint inside whichever commit pushes the WAL past
 * `wal_autocheckpoint` pages, on the committing connection: with `synchronous=NORMAL` that commit then fsyncs the
 * WAL and the database and copies every page back, blocking the event loop for 5–90 ms (issue 19 measured the read
 * models' commits at p50 0.25 ms, p90 8 ms, p99 49 ms, the slow ones 88% of all commit time). Here a worker holds its
 * own connection to the same file and runs a PASSIVE checkpoint every `intervalMs`: the copying and the fsyncs
 * happen beside the event loop, and the writers' commits only append to the WAL.
 *
 * Nothing about durability changes: a PASSIVE checkpoint never takes a writer's lock or waits for a reader, copies
 * only frames already committed, and fsyncs exactly as the automatic one did. The writing connection keeps a (much
 * higher) automatic threshold as a safety net, so a checkpointer that died or fell behind bounds the WAL instead of
 * letting it grow without end.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** The automatic checkpoint left on the writing connection, in pages (4 KiB each: 64 MiB), as a safety net only. */
export const SAFETY_NET_PAGES = 16_384;

export interface WalCheckpointerOptions {
  /** Between two checkpoints (500 ms). */
  intervalMs?: number;
  /** Told when a checkpoint failed (the next one tries again; the safety net bounds the WAL meanwhile). */
  onError?: (message: string) => void;
}

export interface WalCheckpointer {
  /** Runs one last checkpoint and closes the worker's connection; resolves once the thread has exited. */
  stop(): Promise<void>;
}

/** The worker, CommonJS evaluated as is (no loader needed from sources or from the build). */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * A thread holding its own connection to `file` that checkpoints every `intervalMs`, and once more when told to stop
 * (any message), then exits. Errors come back as `{ error }` messages.
 */
export function checkpointWorker(file: string, intervalMs: number): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
}

/**
 * Moves `db`'s WAL checkpoints to a worker thread (see above). For a file database in WAL mode; the caller stops it
 * before or after closing `db` (the last connection to close checkpoints whatever is left).
 */
export function startWalCheckpointer(db: Database.Database, options: WalCheckpointerOptions = {}): WalCheckpointer {
  if (db.memory) throw new Error('An in-memory database has no WAL to checkpoint');
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const worker = checkpointWorker(db.name, options.intervalMs ?? 500);
  worker.unref();
  worker.on('message', (message: { error?: string }) => {
    if (message.error) options.onError?.(message.error);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (error) => options.onError?.(error.message));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        // Held while stopping: with nothing else left to do, an unreferenced thread would let the process exit
        // in the middle of this await (a CLI command closing its store, say) without running what follows it.
        worker.ref();
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}
