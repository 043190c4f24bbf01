/**
 * One big write (a rebuild's swap: every rebuilt read model's rows, 128 MB on the bench's million-event log) whose
 * WAL is checkpointed on a thread of its own instead of inside its commit. A commit that leaves the WAL past
 * `wal_autocheckpoint` pages copies the whole WAL back into the database file and fsyncs both before it returns:
 * 0.5–0.8 s of the swap's 1.5–1.7 s there, blocking the event loop. The rows are committed and served either way;
 * the copy-back is housekeeping, done here by a thread like the one the engine runs for its live commits
 * (wal-checkpointer.ts), beside the caller.
 *
 * While that checkpoint runs, the connection's automatic checkpoint stays off, so that the next commit on the event
 * loop does not run it there instead (an earlier try that only left the checkpoint to later was dropped for that
 * reason); it is set back when the last such checkpoint of the connection is done (or
 * failed: then the next commit past the threshold checkpoints, as it would have). Durability is unchanged: the
 * commit is in the WAL, and a crash before the copy-back replays the WAL at the next open.
 */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { checkpointWorker } from './wal-checkpointer.js';

interface Deferred {
  /** The connection's own threshold, set back when `pending` reaches 0. */
  automatic: number;
  pending: number;
  done: Promise<void>;
}

const deferred = new WeakMap<Database.Database, Deferred>();

/** Resolves when the thread's connection has checkpointed and closed (whether or not the checkpoint succeeded). */
function checkpointOnce(file: string): Promise<void> {
  return new Promise((resolve) => {
    const worker = checkpointWorker(file, 2 ** 31 - 1);
    worker.once('exit', () => resolve());
    // A failed checkpoint is not the write's failure: the connection's automatic checkpoint, set back below, does it.
    worker.on('error', () => undefined);
    worker.postMessage('stop');
  });
}

/** Pages the WAL file has room for (a frame is a page and its 24-byte header): at least the frames in use. */
function walPages(db: Database.Database): number {
  const size = statSync(`${db.name}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  return Math.floor(size / ((db.pragma('page_size', { simple: true }) as number) + 24));
}

/**
 * Runs `write` (synchronous: a transaction) on `db` with the automatic checkpoint off, then checkpoints the WAL on a
 * thread of its own. Returns what `write` returned; `walCheckpointsDone(db)` tells when the copy-back is over. An
 * in-memory database, or one not in WAL mode, just runs `write`.
 */
export function withCheckpointBeside<T>(db: Database.Database, write: () => T): T {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return write();
  const before = deferred.get(db);
  const automatic = before?.automatic ?? (db.pragma('wal_autocheckpoint', { simple: true }) as number);
  db.pragma('wal_autocheckpoint = 0');
  let result: T;
  try {
    result = write();
  } catch (error) {
    if (!before) db.pragma(`wal_autocheckpoint = ${automatic}`);
    throw error;
  }
  // A write that left the WAL under the threshold (a small swap) would not have checkpointed in its commit either:
  // the file's size bounds the frames in it, so a thread is started only when there may be something to take over.
  if (!before && (automatic <= 0 || walPages(db) < automatic)) {
    db.pragma(`wal_autocheckpoint = ${automatic}`);
    return result;
  }
  const entry: Deferred = before ?? { automatic, pending: 0, done: Promise.resolve() };
  entry.pending += 1;
  const checkpointed = checkpointOnce(db.name).then(() => {
    entry.pending -= 1;
    if (entry.pending > 0) return;
    deferred.delete(db);
    if (db.open) db.pragma(`wal_autocheckpoint = ${entry.automatic}`);
  });
  entry.done = Promise.all([entry.done, checkpointed]).then(() => undefined);
  deferred.set(db, entry);
  return result;
}

/** Resolves once every checkpoint `withCheckpointBeside` started on `db` is over (at once when there is none). */
export function walCheckpointsDone(db: Database.Database): Promise<void> {
  return deferred.get(db)?.done ?? Promise.resolve();
}
