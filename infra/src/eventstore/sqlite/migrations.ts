/** Versioned schema migrations of the embedded event store; each runs once, in order, in a transaction. */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const eventStoreMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'events (gapless global position) and stream revisions',
    sql: `
      CREATE TABLE events (
        position    INTEGER PRIMARY KEY,      -- rowid: the global order, assigned under the write lock
        stream_id   TEXT    NOT NULL,
        revision    INTEGER NOT NULL,
        event_id    TEXT    NOT NULL UNIQUE,  -- idempotent appends
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      );
      CREATE TABLE streams (
        stream_id TEXT PRIMARY KEY,
        revision  INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

/** Applies the migrations a database lacks. Safe when several processes open the same file at once. */
export function migrate(db: Database.Database, migrations: readonly Migration[], table = 'schema_migrations'): number {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  let applied = 0;
  const run = db.transaction(() => {
    const current = (db.prepare(`SELECT coalesce(max(version), 0) AS v FROM ${table}`).get() as { v: number }).v;
    for (const migration of migrations.filter((m) => m.version > current)) {
      db.exec(migration.sql);
      db.prepare(`INSERT INTO ${table} (version, description, applied_at) VALUES (?, ?, ?)`).run(
        migration.version,
        migration.description,
        new Date().toISOString(),
      );
      applied++;
    }
  });
  run.immediate();
  return applied;
}
