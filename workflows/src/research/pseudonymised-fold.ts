/**
 * The research extract's fold kept between requests (the research read model, projections/src/research): the same
 * fold as the log's builder (./case-fold.ts), run on events whose ids are pseudonymised first, so the state it
 * keeps holds keyed pseudonyms where the builder holds ids: the case, its parties (erasures then match by the
 * erased party's pseudonym), the cases that reopened it, and its crimes (a digest of its own domain, kept only to
 * tell one crime's outcome from another's; it never reaches a row). Rows are then built from the state with
 * `presetPseudonyms`, which passes pseudonyms through as they are: the same rows the builder makes with the key.
 *
 * Stored as JSON: enumerated values, counts, months and those pseudonyms, never a name, a date of birth, an exact
 * date, a reference or free text (the fold keeps none of them).
 */
import type { ReferralEvent } from '@hru/events';
import { foldCase, startCase, type FoldedCase } from './case-fold.js';
import { mac, pseudonymiser, type Pseudonymiser } from './pseudonyms.js';

/** What the stored fold keys ids with: the extract's own pseudonyms, and one for crimes that never leaves the state. */
export interface FoldPseudonyms {
  person(partyId: string): string;
  case(referralId: string): string;
  crime(reference: string): string;
  keyId: string;
}

/** Without a cache: the read model lives as long as the process, and a person's pseudonym is one HMAC. */
export function foldPseudonyms(key: Uint8Array): FoldPseudonyms {
  const { keyId } = pseudonymiser(key); // refuses a short key
  return {
    person: (partyId) => `p-${mac(key, partyId)}`,
    case: (referralId) => `c-${mac(key, `case\0${referralId}`)}`,
    // Crime references are free-form source strings; the `crime\0` domain keeps them apart from cases and parties.
    crime: (reference) => `x-${mac(key, `crime\0${reference}`)}`,
    keyId,
  };
}

/** Rows from a stored fold: its ids are pseudonyms already, so they pass through; `keyId` is the key's that made them. */
export function presetPseudonyms(keyId: string): Pseudonymiser {
  return { person: (pseudonym) => pseudonym, case: (pseudonym) => pseudonym, keyId };
}

/** The event with every id the fold keeps replaced by its pseudonym (the other ids the fold never reads). */
export function pseudonymisedEvent(event: ReferralEvent, p: FoldPseudonyms): ReferralEvent {
  const parties = (list: readonly { partyId: string; category: string }[]) => list.map((party) => ({ ...party, partyId: p.person(party.partyId) }));
  switch (event.type) {
    case 'ReferralReceived':
      return { ...event, data: { ...event.data, referralId: p.case(event.data.referralId), parties: parties(event.data.parties) } } as ReferralEvent;
    case 'ReferralDetailsUpdated':
      return event.data.parties ? ({ ...event, data: { ...event.data, parties: parties(event.data.parties) } } as ReferralEvent) : event;
    case 'ReferralReopened':
      return { ...event, data: { ...event.data, linkedReferralId: p.case(event.data.linkedReferralId) } };
    case 'CrimeOutcomeRecorded':
      return { ...event, data: { ...event.data, crimeReference: p.crime(event.data.crimeReference) } };
    case 'PartyErased':
      return { ...event, data: { ...event.data, partyId: p.person(event.data.partyId) } };
    case 'RetentionReviewed':
      return { ...event, data: { ...event.data, disposedParties: event.data.disposedParties.map(p.person) } };
    default:
      return event;
  }
}

/** A case's stored fold from its `ReferralReceived` (ids pseudonymised inside). */
export function startPseudonymisedCase(event: Extract<ReferralEvent, { type: 'ReferralReceived' }>, p: FoldPseudonyms): FoldedCase {
  return startCase(pseudonymisedEvent(event, p) as typeof event);
}

/** Folds a later event of the case into its stored fold (in place). */
export function foldPseudonymisedCase(folded: FoldedCase, event: ReferralEvent, p: FoldPseudonyms): void {
  foldCase(folded, pseudonymisedEvent(event, p));
}

interface StoredFold extends Omit<FoldedCase, 'erasedParties' | 'outcomes' | 'mappaReferrals'> {
  erasedParties: string[];
  outcomes: [string, { code: string; month: string }][];
  mappaReferrals: [string, { category: number; level: number }][];
}

export function foldToJson(folded: FoldedCase): string {
  const stored: StoredFold = {
    ...folded,
    erasedParties: [...folded.erasedParties],
    outcomes: [...folded.outcomes],
    mappaReferrals: [...folded.mappaReferrals],
  };
  return JSON.stringify(stored);
}

export function foldFromJson(text: string): FoldedCase {
  const stored = JSON.parse(text) as StoredFold;
  return { ...stored, erasedParties: new Set(stored.erasedParties), outcomes: new Map(stored.outcomes), mappaReferrals: new Map(stored.mappaReferrals) };
}
