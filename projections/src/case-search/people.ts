/**
 * The people of an opened intake event as the index keeps them: each with their id (schema.ts) and their MACs,
 * computed once here for the live `apply` and the rebuild's shadow applier alike.
 */
import type { ProjectedEvent } from '../framework/projection.js';
import { blindIndex, nameWords, normaliseSourceRef, type BlindIndexKind } from './blind-index.js';
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

/** The hex MAC of a normalised term (`blindIndex` under the index's key, or a cache of it). */
export type MacOf = (kind: BlindIndexKind, term: string) => string;

export const macUnder =
  (key: Uint8Array): MacOf =>
  (kind, term) =>
    blindIndex(key, kind, term);

/**
 * `macUnder(key)` remembering the MACs of the last terms seen, for a rebuild: names repeat (a national year's
 * people share far fewer words than they have), and an HMAC costs more than a look-up. The terms are held in
 * memory only, for the applier's lifetime, and dropped in bulk when `limit` is reached.
 */
export function cachedMacUnder(key: Uint8Array, limit = 100_000): MacOf {
  const seen = new Map<string, string>();
  return (kind, term) => {
    const id = `${kind}\0${term}`;
    let mac = seen.get(id);
    if (mac === undefined) {
      if (seen.size >= limit) seen.clear();
      mac = blindIndex(key, kind, term);
      seen.set(id, mac);
    }
    return mac;
  };
}

const isPerson = (p: unknown): p is Person =>
  typeof p === 'object' && p !== null && typeof (p as Person).partyId === 'string' && !('erased' in p);

/**
 * The people in clear (decrypted) of an intake event; none when sealed, erased or absent. A party listed twice
 * counts once, as its last entry (each entry replaces the one before, as an update does).
 */
export function indexedPeople(mac: MacOf, event: ProjectedEvent<'ReferralReceived' | 'ReferralDetailsUpdated'>): IndexedPerson[] {
  const people = (event.data.personal as { people?: unknown }).people;
  if (!Array.isArray(people)) return [];
  const byParty = new Map<string, IndexedPerson>();
  people.forEach((p, index) => {
    if (!isPerson(p)) return;
    let hex = '';
    if (p.name) for (const word of nameWords(p.name)) hex += mac('name', word);
    if (p.sourceRef) hex += mac('ref', normaliseSourceRef(p.sourceRef));
    byParty.delete(p.partyId);
    byParty.set(p.partyId, { person: personId(event.position, index), partyId: p.partyId, macs: Buffer.from(hex, 'hex') });
  });
  return [...byParty.values()];
}
