/** The read-model database: one SQLite file beside the event log, holding every projection and its checkpoint. */
import type Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { dataFileProblemOf, migrate, openSqlite, readModelFileError, type Migration } from '@hru/infra/sqlite';

export const READ_MODELS_FILE = 'read-models.sqlite';

const readModelMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'checkpoints of projections',
    sql: `
      CREATE TABLE checkpoints (
        projection TEXT    PRIMARY KEY,
        version    INTEGER NOT NULL,   -- the projection version the tables were built by
        position   INTEGER NOT NULL,   -- last event applied; -1 = none yet
        generation INTEGER NOT NULL,   -- +1 at every rebuild swap: a live runner that sees it move restarts
        updated_at TEXT    NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

/**
 * synchronous=NORMAL: in WAL mode a crash can lose the last commits but never splits one, and a lost commit
 * takes its checkpoint with it, so the projection simply re-applies those events.
 */
export function openReadModelDb(file: string): Database.Database {
  const db = openSqlite(file, { synchronous: 'NORMAL' });
  try {
    migrate(db, readModelMigrations, 'read_model_migrations');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** A corrupt read-model file that was moved aside: where it went, and what SQLite said about it. */
export interface MovedAside {
  file: string;
  movedTo: string;
  reason: string;
}

export interface OpenReadModelsOptions {
  /** Told when a corrupt file was moved aside and a fresh one opened (the runner then rebuilds from the log). */
  onMovedAside?: (moved: MovedAside) => void;
  /**
   * The file, relative to the data dir unless absolute (HRU_READ_MODELS_FILE); default `read-models.sqlite`.
   * Processes sharing a data dir name one each so that each keeps its own read models.
   */
  file?: string | undefined;
}

/** Where a process's read models live: `file` (relative to the data dir unless absolute), else the default name. */
export function readModelsPath(dataDir: string, file?: string): string {
  const name = file ?? READ_MODELS_FILE;
  return isAbsolute(name) ? name : join(dataDir, name);
}

/**
 * `HRU_DATA_DIR/read-models.sqlite`. Read models are disposable: a file SQLite finds corrupt (or not a database
 * at all) is renamed `read-models.sqlite.corrupt-<time>` with its WAL and shared-memory files, kept for a
 * post-mortem, and a fresh one opened; with no checkpoints, every projection rebuilds from the log. Other
 * failures (a read-only or missing directory) are the operator's to fix, reported in one line.
 */
export function openReadModels(dataDir: string, options: OpenReadModelsOptions = {}): Database.Database {
  const file = readModelsPath(dataDir, options.file);
  try {
    return openReadModelDb(file);
  } catch (error) {
    if (dataFileProblemOf(error) !== 'corrupt') throw readModelFileError(error, file, dataDir) ?? error;
    const movedTo = moveAside(file, new Date());
    options.onMovedAside?.({ file, movedTo, reason: (error as Error).message });
  }
  try {
    return openReadModelDb(file);
  } catch (error) {
    throw readModelFileError(error, file, dataDir) ?? error;
  }
}

/**
 * Keeps SQLite's naming (`<name>-wal`, `<name>-shm`) so the moved files still open together. (SQLite deletes a
 * WAL it could not use when the failed connection closes, so usually the main file goes alone.) A file another
 * process moved first is simply gone (ENOENT), which is the outcome wanted.
 */
function moveAside(file: string, at: Date): string {
  const movedTo = `${file}.corrupt-${at.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(file + suffix)) continue;
    try {
      renameSync(file + suffix, movedTo + suffix);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
  return movedTo;
}
