/**
 * Reads the log page by page for a rebuild, as projected events (upcast, with their place in the log).
 * The embedded store's file is read directly through its own read-only connection, taking only the columns a
 * projection sees: a rebuild reads the whole log, and building a full `RecordedEvent` per row and then copying
 * it into a `ProjectedEvent` cost more than the SQLite read itself. Other stores go through `readAll`.
 */
import type Database from 'better-sqlite3';
import { eventRegistry, type EventMetadata } from '@hru/events';
import { openSqlite, SqliteEventStore, type EventStore } from '@hru/infra';
import { toProjected } from './apply-batch.js';
import type { ProjectedEvent } from './projection.js';

export interface LogPageReader {
  /** Events of the chosen types at or after `from`, at most `limit`, in log order; empty at the end of the log. */
  read(from: bigint, limit: number): Promise<ProjectedEvent[]>;
  close(): void;
}

type Row = [position: number, streamId: string, type: string, data: string, metadata: string, recordedAt: string];

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

/** The same result as `toProjected` of the stored row, built in one object. */
export function projectRow(row: Row): ProjectedEvent {
  const type = row[2];
  let data: unknown = JSON.parse(row[3]);
  let metadata = JSON.parse(row[4]) as EventMetadata;
  if (metadata.schemaVersion !== currentVersionOf(type)) {
    // Older (upcast) or newer (refused): the registry decides, exactly as for every other reader.
    const envelope = eventRegistry.readTrusted({ type, data, metadata });
    data = envelope.data;
    metadata = envelope.metadata;
  }
  return { type, data, metadata, position: BigInt(row[0]), streamId: row[1], recordedAt: row[5] } as ProjectedEvent;
}

class SqliteFileReader implements LogPageReader {
  private readonly db: Database.Database;
  private readonly select: Database.Statement;

  constructor(
    file: string,
    private readonly types: readonly string[],
  ) {
    this.db = openSqlite(file, { readonly: true });
    this.select = this.db
      .prepare(
        `SELECT position, stream_id, type, data, metadata, recorded_at FROM events
         WHERE position >= ? AND type IN (${types.map(() => '?').join(', ') || 'NULL'}) ORDER BY position LIMIT ?`,
      )
      .raw();
  }

  async read(from: bigint, limit: number): Promise<ProjectedEvent[]> {
    const rows = this.select.all(Number(from), ...this.types, limit) as Row[];
    const events = new Array<ProjectedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = projectRow(rows[i]!);
    return events;
  }

  close(): void {
    this.db.close();
  }
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
  return store instanceof SqliteEventStore && store.file !== ':memory:' ? new SqliteFileReader(store.file, eventTypes) : new StoreReader(store, eventTypes);
}
