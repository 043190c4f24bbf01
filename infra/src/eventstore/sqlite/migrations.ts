/** Versioned schema migrations of the embedded event store; each runs once, in order, in a transaction. */
import type Database from 'better-sqlite3';
import type { ChainKey } from '../../audit/integrity/chain.js';
import { backfillChains } from './chain-backfill.js';
import { keyedCheckpointSql, takeKeyedCheckpoint } from './keyed-checkpoint.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Data work after `sql`, in the same transaction, for what SQL alone cannot compute. */
  run?(db: Database.Database, context: MigrationContext): void;
}

/** What a migration's data work may need besides the database. */
export interface MigrationContext {
  /** The event store's chain key (migration 3 takes a keyed checkpoint with it). */
  chainKey?: ChainKey;
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
  {
    version: 2,
    description: 'hash chain per stream (events.prev_hash, events.hash) and each stream head hash',
    // Columns rather than a block inside the metadata JSON: the hash covers the metadata, so keeping it
    // outside means readers get back exactly the metadata they appended, and verification hashes the
    // stored text without parsing it. Nullable only because SQLite cannot add NOT NULL columns; every
    // append fills them and verification treats a missing hash as a break.
    sql: `
      ALTER TABLE events ADD COLUMN prev_hash TEXT;
      ALTER TABLE events ADD COLUMN hash TEXT;
      ALTER TABLE streams ADD COLUMN head_hash TEXT;
    `,
    run: backfillChains,
  },
  {
    version: 3,
    description: 'keyed chains: a keyed checkpoint over the events chained before the key (keyed-checkpoint.ts)',
    sql: keyedCheckpointSql,
    run: (db, context) => takeKeyedCheckpoint(db, context.chainKey),
  },
  {
    version: 4,
    description: 'access-log indexes: entries by referral and by actor, in time order (partial, on PersonalDataAccessed only)',
    // An auditor's search of a year by referral or actor read every entry of the year's 366 day streams. Partial
    // expression indexes on the log itself, not a read model: they commit with the entry, so a search never lags
    // the log, and they cost nothing on the appends of other event types. The expressions are the ones
    // SqliteEventStore.readAccessEntries queries with, character for character (SQLite matches them as written).
    sql: `
      CREATE INDEX events_access_by_referral ON events (data ->> '$.referralId', metadata ->> '$.occurredAt', position)
        WHERE type = 'PersonalDataAccessed';
      CREATE INDEX events_access_by_actor ON events (coalesce(metadata ->> '$.actor.sub', metadata ->> '$.actor.system'), metadata ->> '$.occurredAt', position)
        WHERE type = 'PersonalDataAccessed';
    `,
  },
  {
    version: 5,
    description: 'referrals by time of receipt (partial, on ReferralReceived only): the research extract of a month reads those cases only',
    sql: `
      CREATE INDEX events_referral_received ON events (metadata ->> '$.occurredAt') WHERE type = 'ReferralReceived';
    `,
  },
];

/** Applies the migrations a database lacks. Safe when several processes open the same file at once. */
export function migrate(db: Database.Database, migrations: readonly Migration[], table = 'schema_migrations', context: MigrationContext = {}): number {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  let applied = 0;
  const run = db.transaction(() => {
    const current = (db.prepare(`SELECT coalesce(max(version), 0) AS v FROM ${table}`).get() as { v: number }).v;
    for (const migration of migrations.filter((m) => m.version > current)) {
      db.exec(migration.sql);
      migration.run?.(db, context);
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
