/** The read-model database: one SQLite file beside the event log, holding every projection and its checkpoint. */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrate, openSqlite, type Migration } from '@hru/infra';

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
  migrate(db, readModelMigrations, 'read_model_migrations');
  return db;
}

/** `HRU_DATA_DIR/read-models.sqlite`. */
export function openReadModels(dataDir: string): Database.Database {
  return openReadModelDb(join(dataDir, READ_MODELS_FILE));
}
