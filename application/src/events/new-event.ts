/**
 * The one way to write an event: the registry validates its data against the type's schema and stamps the
 * current schema version, and the metadata comes from who asked and when. The command handler, the delivery
 * worker and the access log all build their events here, so no writer can skip validation or forget a field.
 */
import { randomUUID } from 'node:crypto';
import { eventRegistry, type Actor, type Envelope } from '@hru/events';

export interface EventContext {
  actor: Actor;
  correlationId: string;
  causationId?: string | null | undefined;
  /** When it happened (ISO 8601 with offset): the caller's clock, never read here. */
  occurredAt: string;
  /** A deterministic id makes the append idempotent (a retried side effect is recorded once); default: a new UUID. */
  eventId?: string | undefined;
  /** The workflow machine that decided the event, when one did. */
  machineVersion?: string | undefined;
}

export function newEvent<T extends string, D>(type: T, data: D, context: EventContext): Envelope<T, D> {
  return eventRegistry.prepare<T, D>({
    type,
    data,
    metadata: {
      eventId: context.eventId ?? randomUUID(),
      occurredAt: context.occurredAt,
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
      schemaVersion: 1, // replaced by the registry with the event's current version
      ...(context.machineVersion === undefined ? {} : { machineVersion: context.machineVersion }),
    },
  });
}
