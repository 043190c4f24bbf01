/**
 * The people of an opened intake event as the index keeps them: each with their id (schema.ts) and their MACs,
 * computed once here for the live `apply` and the rebuild's shadow applier alike.
 */
import type { ProjectedEvent } from '../framework/projection.js';
import { blindIndex, nameWords, normaliseSourceRef } from './blind-index.js';
import { personId } from './schema.js';

interface Person {
  partyId: string;
  name?: string;
  sourceRef?: string;
}

export interface IndexedPerson {
  person: number;
  partyId: string;
  /** The person's MACs, 16 bytes each: every word of their name, then their source reference. */
  macs: Buffer;
}

const isPerson = (p: unknown): p is Person =>
  typeof p === 'object' && p !== null && typeof (p as Person).partyId === 'string' && !('erased' in p);

/**
 * The people in clear (decrypted) of an intake event; none when sealed, erased or absent. A party listed twice
 * counts once, as its last entry (each entry replaces the one before, as an update does).
 */
export function indexedPeople(key: Uint8Array, event: ProjectedEvent<'ReferralReceived' | 'ReferralDetailsUpdated'>): IndexedPerson[] {
  const people = (event.data.personal as { people?: unknown }).people;
  if (!Array.isArray(people)) return [];
  const byParty = new Map<string, IndexedPerson>();
  people.forEach((p, index) => {
    if (!isPerson(p)) return;
    let hex = '';
    if (p.name) for (const word of nameWords(p.name)) hex += blindIndex(key, 'name', word);
    if (p.sourceRef) hex += blindIndex(key, 'ref', normaliseSourceRef(p.sourceRef));
    byParty.delete(p.partyId);
    byParty.set(p.partyId, { person: personId(event.position, index), partyId: p.partyId, macs: Buffer.from(hex, 'hex') });
  });
  return [...byParty.values()];
}
