import Database from 'better-sqlite3';
import { createPrivateFile } from '../../data-dir.js';

export interface OpenSqliteOptions {
  /** `FULL` (default) fsyncs the WAL at every commit: an acknowledged append survives a power cut. */
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** Opens a SQLite file the way every part of the engine wants it: WAL, durable, patient with other writers. */
export function openSqlite(file: string, options: OpenSqliteOptions = {}): Database.Database {
  if (file !== ':memory:' && !options.readonly) createPrivateFile(file);
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
  } catch (error) {
    // A file that is not a database fails here (SQLite reads it lazily): let the caller move it or report it.
    db.close();
    throw error;
  }
  return db;
}
