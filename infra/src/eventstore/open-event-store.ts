/**
 * Chooses the event store from the configuration: KurrentDB/EventStoreDB when EVENTSTORE_URL is set (its
 * client is imported only then), otherwise the embedded SQLite file under the data directory.
 */
import { join } from 'node:path';
import type { EventStore } from '@hru/application';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store.js';

export interface EventStoreSettings {
  dataDir: string;
  eventStoreUrl?: string | undefined;
  sqlite?: SqliteEventStoreOptions;
}

export async function openEventStore(settings: EventStoreSettings): Promise<EventStore> {
  if (settings.eventStoreUrl) {
    const { KurrentEventStore } = await import('./kurrent/kurrent-event-store.js');
    return KurrentEventStore.connect(settings.eventStoreUrl);
  }
  return new SqliteEventStore(join(settings.dataDir, 'events.sqlite'), settings.sqlite);
}

/**
 * The file of an embedded store, which other threads can open read-only (`openReadOnlyEventStore`); undefined for
 * a store in memory or on a server. A parallel rebuild hands it to its worker threads, which have no store object.
 */
export function embeddedStoreFile(store: EventStore): string | undefined {
  return store instanceof SqliteEventStore && store.file !== ':memory:' ? store.file : undefined;
}

/** Reads only, no migrations (a writable store has migrated the file); its appends fail. */
export function openReadOnlyEventStore(file: string): EventStore {
  return new SqliteEventStore(file, { readonly: true });
}
