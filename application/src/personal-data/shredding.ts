/**
 * Which keys an event destroys, the one rule both the store (at once, on write) and the KeyLogFollower (from the log,
 * after a crash) apply:
 * - `PartyErased`: the person's keys in every case, and the key of each of those cases, whose free text describes
 *   them (the other people of those cases keep their own keys);
 * - `RetentionReviewed` with `dispose`: the case's key and the keys of its people in it.
 */
import type { KeyStore } from './key-store.js';

interface EventLike {
  type: string;
  data: unknown;
}

/** Destroys what the event says is destroyed; does nothing for any other event. Idempotent. */
export async function shredFor(event: EventLike, keys: KeyStore): Promise<number> {
  if (event.type === 'PartyErased') {
    return (await keys.destroyPerson((event.data as { partyId: string }).partyId)).destroyed;
  }
  if (event.type === 'RetentionReviewed') {
    const data = event.data as { decision: string; referralId: string };
    if (data.decision === 'dispose') return (await keys.destroyCase(data.referralId)).destroyed;
  }
  return 0;
}

/** The event types that destroy keys: what the KeyLogFollower reads from the log. */
export const SHREDDING_EVENT_TYPES = ['PartyErased', 'RetentionReviewed'] as const;
