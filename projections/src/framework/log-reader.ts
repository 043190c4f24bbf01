/**
 * Reads the log page by page for a rebuild, as projected events (upcast, with their place in the log).
 * The embedded store's file is read directly through its own read-only connection, taking only what a projection
 * sees (`ProjectedEvent`): a rebuild reads the whole log, and building a full `RecordedEvent` per row and then
 * copying it into a `ProjectedEvent` cost more than the SQLite read itself. Other stores go through `readAll`.
 */
import type { EventStore } from '@hru/application';
import type Database from 'better-sqlite3';
import { eventRegistry } from '@hru/events';
import { openSqlite, SqliteEventStore } from '@hru/infra';
import { toProjected } from './apply-batch.js';
import type { ProjectedEvent } from './projection.js';

export interface LogPageReader {
  /** Events of the chosen types at or after `from`, at most `limit`, in log order; empty at the end of the log. */
  read(from: bigint, limit: number): Promise<ProjectedEvent[]>;
  close(): void;
}

type Row = [position: number, type: string, data: string, occurredAt: string, schemaVersion: number | null, actorId: string];

/** The current schema version of each type, so an event already at it skips the registry (nothing to upcast). */
const currentVersions = new Map<string, number>();

function currentVersionOf(type: string): number {
  let version = currentVersions.get(type);
  if (version === undefined) {
    version = eventRegistry.definition(type).version; // throws on an unknown type, as readTrusted does
    currentVersions.set(type, version);
  }
  return version;
}

/** The same result as `toProjected` of the stored row. */
export function projectRow(row: Row): ProjectedEvent {
  const type = row[1];
  let data: unknown = JSON.parse(row[2]);
  // SQLite returns NULL for a missing field, where JSON.parse would give undefined.
  const metadata = { occurredAt: row[3], schemaVersion: row[4] ?? (undefined as unknown as number), actorId: row[5] };
  if (metadata.schemaVersion !== currentVersionOf(type)) {
    // Older (upcast) or newer (refused): the registry decides, exactly as for every other reader.
    data = eventRegistry.readTrusted({ type, data, metadata }).data;
    metadata.schemaVersion = currentVersionOf(type);
  }
  return { type, data, metadata, position: BigInt(row[0]) } as ProjectedEvent;
}

/**
 * Splits the log by stream for a parallel rebuild: every event of a stream lands in the same part, in log order.
 * By the last character of the stream id (referral ids end in a hex digit or similar), so SQLite can skip the
 * other parts' rows without parsing them.
 */
export interface LogPartition {
  index: number;
  count: number;
}

export interface SqliteLogReadOptions {
  partition?: LogPartition;
  /** Read no further than this position. */
  upTo?: bigint;
}

export interface SqliteLogReader extends LogPageReader {
  readSync(from: bigint, limit: number): ProjectedEvent[];
}

class SqliteFileReader implements SqliteLogReader {
  private readonly db: Database.Database;
  private readonly select: Database.Statement;
  private readonly params: unknown[];

  constructor(file: string, types: readonly string[], options: SqliteLogReadOptions) {
    this.db = openSqlite(file, { readonly: true });
    const where = ['position >= ?', 'position <= ?', `type IN (${types.map(() => '?').join(', ') || 'NULL'})`];
    this.params = [Number(options.upTo ?? BigInt(Number.MAX_SAFE_INTEGER)), ...types];
    if (options.partition) {
      where.push('unicode(substr(stream_id, -1)) % ? = ?');
      this.params.push(options.partition.count, options.partition.index);
    }
    // The metadata fields a projection sees come out in SQLite, not by parsing the whole metadata in JS.
    this.select = this.db
      .prepare(
        `SELECT position, type, data, metadata ->> '$.occurredAt', metadata ->> '$.schemaVersion',
           coalesce(metadata ->> '$.actor.sub', metadata ->> '$.actor.system')
         FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`,
      )
      .raw();
  }

  async read(from: bigint, limit: number): Promise<ProjectedEvent[]> {
    return this.readSync(from, limit);
  }

  readSync(from: bigint, limit: number): ProjectedEvent[] {
    const rows = this.select.all(Number(from), ...this.params, limit) as Row[];
    const events = new Array<ProjectedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = projectRow(rows[i]!);
    return events;
  }

  close(): void {
    this.db.close();
  }
}

/** A direct reader of the embedded store's file (for a rebuild in a worker thread, which has no store object). */
export function sqliteLogReader(file: string, eventTypes: readonly string[], options: SqliteLogReadOptions = {}): SqliteLogReader {
  return new SqliteFileReader(file, eventTypes, options);
}

class StoreReader implements LogPageReader {
  constructor(
    private readonly store: EventStore,
    private readonly eventTypes: readonly string[],
  ) {}

  async read(from: bigint, limit: number): Promise<ProjectedEvent[]> {
    const page = await this.store.readAll({ fromPosition: from, maxCount: limit, filter: { eventTypes: this.eventTypes } });
    return page.map(toProjected);
  }

  close(): void {}
}

export function logPageReader(store: EventStore, eventTypes: readonly string[]): LogPageReader {
  const file = embeddedLogFile(store);
  return file ? new SqliteFileReader(file, eventTypes, {}) : new StoreReader(store, eventTypes);
}

/** The file of an embedded store that another connection can read, or undefined. */
export function embeddedLogFile(store: EventStore): string | undefined {
  return store instanceof SqliteEventStore && store.file !== ':memory:' ? store.file : undefined;
}
