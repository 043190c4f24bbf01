/**
 * Stable pseudonyms for the research extract: a keyed HMAC of the id, so the same person gets the same pseudonym
 * in every case (repeat victimisation and re-offending stay visible) while nobody without the key can go back
 * from a pseudonym to the id, nor forward from a guessed id (party ids are hashes of the source system and its
 * person reference, which can be guessed) to its pseudonym.
 *
 * Shortened to 16 hex digits (64 bits): the key, not the length, keeps pseudonyms from being reversed, and
 * 64 bits keep collisions out of reach for any unit's caseload: among a million people the chance that two
 * share a pseudonym is about n²/2⁶⁵ ≈ 3 in 100 million.
 */
import { createHmac } from 'node:crypto';

/** Hex digits kept of each HMAC. */
export const PSEUDONYM_HEX_DIGITS = 16;

export interface Pseudonymiser {
  /** A person (a party of a case): `p-` and 16 hex digits, the same across every case they are a party of. */
  person(partyId: string): string;
  /** A case (a referral): `c-` and 16 hex digits; never equal to a person's for the same key (domain-separated). */
  case(referralId: string): string;
  /** A public fingerprint of the key: two extracts with the same `keyId` have comparable pseudonyms. */
  keyId: string;
}

/** The keyed digest every pseudonym is cut from (each kind of id in a message domain of its own). */
export function mac(key: Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex').slice(0, PSEUDONYM_HEX_DIGITS);
}

export function pseudonymiser(key: Uint8Array): Pseudonymiser {
  if (key.length < 32) throw new RangeError('a pseudonym key has at least 32 bytes');
  const people = new Map<string, string>();
  return {
    // Party ids start `pty-`, so no party id is ever a message of the `case\0` domain below.
    person: (partyId) => {
      let pseudonym = people.get(partyId);
      if (pseudonym === undefined) people.set(partyId, (pseudonym = `p-${mac(key, partyId)}`));
      return pseudonym;
    },
    case: (referralId) => `c-${mac(key, `case\0${referralId}`)}`,
    keyId: mac(key, 'key-id\0hru-pseudonym-key'),
  };
}
