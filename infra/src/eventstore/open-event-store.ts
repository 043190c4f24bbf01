/**
 * Chooses the event store from the configuration: KurrentDB/EventStoreDB when EVENTSTORE_URL is set (its
 * client is imported only then), otherwise the embedded SQLite file under the data directory.
 */
import { join } from 'node:path';
import type { EventStore } from '@hru/application';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store.js';
import { loadOrCreateChainKey } from '../audit/integrity/chain-key.js';

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
  const chainKey = loadOrCreateChainKey(settings.dataDir, settings.chainKey);
  if (settings.eventStoreUrl) {
    const { KurrentEventStore } = await import('./kurrent/kurrent-event-store.js');
    return KurrentEventStore.connect(settings.eventStoreUrl, chainKey);
  }
  return new SqliteEventStore(join(settings.dataDir, 'events.sqlite'), { ...settings.sqlite, chainKey });
}
