/**
 * Chooses the event store from the configuration: KurrentDB/EventStoreDB when EVENTSTORE_URL is set (its
 * client is imported only then), otherwise the embedded SQLite file under the data directory.
 */
import { join } from 'node:path';
import type { EventStore } from '@hru/application';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store.js';
import { loadOrCreateChainKey } from '../audit/integrity/chain-key.js';
import { eventLogError } from '../data-dir/data-file-error.js';

export interface EventStoreSettings {
  dataDir: string;
  eventStoreUrl?: string | undefined;
  /** HRU_CHAIN_KEY; unset = the key file generated in the data dir (development only). */
  chainKey?: string | undefined;
  sqlite?: SqliteEventStoreOptions;
}

/** The settings `hru` and the engine open the store with, from the configuration. */
export function eventStoreSettings(config: { dataDir: string; eventStoreUrl: string | undefined; chainKey: string | undefined }): EventStoreSettings {
  return { dataDir: config.dataDir, eventStoreUrl: config.eventStoreUrl, chainKey: config.chainKey };
}

export async function openEventStore(settings: EventStoreSettings): Promise<EventStore> {
  if (settings.eventStoreUrl) {
    const { KurrentEventStore } = await import('./kurrent/kurrent-event-store.js');
    return KurrentEventStore.connect(settings.eventStoreUrl, loadOrCreateChainKey(settings.dataDir, settings.chainKey));
  }
  const file = join(settings.dataDir, 'events.sqlite');
  try {
    // The key is loaded (or generated into the data dir) only once the log has opened: a damaged log leaves nothing behind.
    return new SqliteEventStore(file, { checkpointInWorker: true, ...settings.sqlite, chainKey: () => loadOrCreateChainKey(settings.dataDir, settings.chainKey) });
  } catch (error) {
    // A damaged, unreadable or read-only log stops start-up with one line naming the file (never a rebuild).
    throw eventLogError(error, file, settings.dataDir) ?? error;
  }
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
