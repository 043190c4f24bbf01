/**
 * Reads the log page by page for a rebuild, as projected events (upcast, with their place in the log), through
 * the store's raw page read: a rebuild reads the whole log, and building a full `RecordedEvent` per row and then
 * copying it into a `ProjectedEvent` cost more than the read itself. The raw rows already have a projected
 * event's shape, so they are upcast in place.
 */
import type { EventStore, LogPartition, RawEvent } from '@hru/application';
import { eventRegistry } from '@hru/events';
import type { ProjectedEvent } from '../framework/projection.js';

export interface LogPageReader {
  /** Events of the chosen types at or after `from`, at most `limit`, in log order; empty at the end of the log. */
  read(from: bigint, limit: number): Promise<ProjectedEvent[]>;
}

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

/** The same event as `toProjected` of the stored one, made of the raw row itself. */
export function projectRaw(event: RawEvent): ProjectedEvent {
  const current = currentVersionOf(event.type);
  if (event.metadata.schemaVersion !== current) {
    // Older (upcast) or newer (refused): the registry decides, exactly as for every other reader.
    event.data = eventRegistry.readTrusted(event).data;
    event.metadata.schemaVersion = current;
  }
  return event as ProjectedEvent;
}

export interface LogPageOptions {
  /** Only the streams of this share of the log (a parallel rebuild's part). */
  partition?: LogPartition;
  /** Read no further than this position. */
  upTo?: bigint;
}

export function logPageReader(store: EventStore, eventTypes: readonly string[], options: LogPageOptions = {}): LogPageReader {
  return {
    async read(from, limit) {
      const page = await store.readAllRaw({ ...options, fromPosition: from, maxCount: limit, eventTypes });
      for (let i = 0; i < page.length; i++) projectRaw(page[i]!);
      return page as ProjectedEvent[];
    },
  };
}
