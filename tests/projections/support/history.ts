/** Builds valid referral events (through the real schemas) for projection specs and the rebuild benchmark. */
import { randomUUID } from 'node:crypto';
import { eventRegistry, type ReferralEvent } from '@hru/events';
import type { EventStore, NewEvent } from '@hru/infra';

type DataOf<T extends ReferralEvent['type']> = Extract<ReferralEvent, { type: T }>['data'];

export function referralId(n: number): string {
  return `ref-${n.toString(16).padStart(32, '0')}`;
}

export function event<T extends ReferralEvent['type']>(type: T, data: DataOf<T>, occurredAt: string): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt,
      actor: { kind: 'person', sub: 'u-1', name: 'Test Officer', roles: ['officer'], agency: 'police' },
      correlationId: 'spec',
      causationId: null,
      schemaVersion: eventRegistry.definition(type).version,
    },
  };
}

export function received(
  id: string,
  occurredAt: string,
  problemBehaviour: DataOf<'ReferralReceived'>['problemBehaviour'] = 'stalking',
  crimeReference = `CC/${id.slice(-6)}`,
): NewEvent {
  return event(
    'ReferralReceived',
    {
      referralId: id,
      source: { system: 'niche', crimeReference, recordedAt: occurredAt },
      offences: [{ code: '8/65', description: 'Stalking involving fear of violence', principal: true }],
      problemBehaviour,
      parties: [
        { partyId: 'v1', category: 'victim' },
        { partyId: 's1', category: 'suspect' },
      ],
      risk: { dashYesCount: 9 },
      indicators: [],
      personal: { people: [] },
    },
    occurredAt,
  );
}

/** Appends each referral's events to its own stream, in the order given (one append per event). */
export async function appendAll(store: EventStore, events: readonly NewEvent[]): Promise<void> {
  for (const e of events) {
    const id = (e.data as { referralId: string }).referralId;
    await store.appendToStream(id, [e]);
  }
}
