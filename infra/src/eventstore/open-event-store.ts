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
