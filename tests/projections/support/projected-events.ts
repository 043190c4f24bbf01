/**
 * Events as a projection's `apply` receives them (data, the metadata fields a raw read gives, a log position),
 * made from the events a spec wrote, numbered from 1 in order: for specs that call `apply` or a shadow applier
 * directly, without a store.
 */
import type { NewEvent } from '@hru/application';
import type { ProjectedEvent } from '@hru/projections';

export const projected = (events: readonly NewEvent[]): ProjectedEvent[] =>
  events.map(
    (e, i) =>
      ({
        type: e.type,
        data: e.data,
        metadata: { occurredAt: e.metadata.occurredAt, schemaVersion: e.metadata.schemaVersion, actorId: 'u-1' },
        position: BigInt(i + 1),
      }) as unknown as ProjectedEvent,
  );
