/** Appends access-log entries (s62 consultation and disclosure records) to the event store before data leaves. */
import { PersonalDataAccessed, accessLogStreamFor, type AccessedResource, type Actor } from '@hru/events';
import { newEvent } from '../events/new-event.js';
import type { EventStore } from '../ports/event-store.js';

export interface AccessRecord {
  referralId: string;
  resource: AccessedResource;
  justification: string;
  actor: Actor;
  correlationId: string;
  /** The server's id of the request. */
  requestId: string;
  /** The caller's `X-Request-Id`, kept beside the server's, never in its place. */
  clientRequestId?: string | undefined;
  at: Date;
  disclosure?: { recipients: string[]; gateway: string };
  /** The person concerned, for a person's export or erasure. */
  partyId?: string;
  /** The entry records an erasure (s62), not a read. */
  erasure?: boolean;
}

export class AccessLog {
  constructor(private readonly store: EventStore) {}

  async record(entry: AccessRecord): Promise<void> {
    const data = {
      referralId: entry.referralId,
      resource: entry.resource,
      kind: entry.erasure ? 'erasure' : entry.disclosure ? 'disclosure' : 'consultation',
      ...(entry.partyId ? { partyId: entry.partyId } : {}),
      justification: entry.justification,
      recipients: entry.disclosure?.recipients ?? [],
      gateway: entry.disclosure?.gateway,
      requestId: entry.requestId,
      clientRequestId: entry.clientRequestId ?? null,
    };
    await this.store.appendToStream(accessLogStreamFor(entry.at), [
      newEvent(PersonalDataAccessed.type, data, {
        occurredAt: entry.at.toISOString(),
        actor: entry.actor,
        correlationId: entry.correlationId,
        causationId: entry.requestId,
      }),
    ]);
  }
}
