/**
 * The key store port of per-person encryption (crypto-shredding). Every person in every case
 * (`party:<partyId>@<referralId>`) and every case (`case:<referralId>`, the case's free text) has a data key;
 * destroying it makes everything written under it unreadable forever, while the log itself is never rewritten.
 * A person's keys are per case so that disposing of one case (retention review) leaves the same person's details in
 * their other, retained cases readable; erasing the person destroys all of them. Keys are versioned by generation: a subject whose key
 * was destroyed and who then appears again (a source system re-sends the crime) gets a new generation, and what was
 * written under the old one stays unreadable.
 *
 * The embedded adapter keeps the data keys in their own SQLite file, wrapped by a key-encryption key
 * (infra/src/keystore); a production deployment wraps them with a KMS through `KeyWrapper`.
 */

/** A data key in use: `id` is `<subject>#<generation>`, stored beside every ciphertext made with it. */
export interface DataKey {
  id: string;
  key: Buffer;
}

export interface KeyStore {
  /**
   * The current key of each subject, creating (durably, in one write) those that have none or whose last key was
   * destroyed, before any event encrypted with them is written.
   */
  currentKeys(subjects: readonly string[]): Promise<Map<string, DataKey>>;
  /** Keys by id: a key that was destroyed, or never existed, is absent from the map. */
  keysById(ids: readonly string[]): Promise<Map<string, Buffer>>;
  /**
   * Erases a person: destroys their key in every case, and the key of every such case (its free text describes
   * them). Idempotent; returns the cases concerned and how many live keys went.
   */
  destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }>;
  /** Disposes of a case: destroys its key and its people's keys in it (their other cases keep theirs). Idempotent. */
  destroyCase(referralId: string): Promise<{ destroyed: number }>;
  /** The cases a person's details were ever written in (their keys may since have been destroyed). */
  casesOf(partyId: string): Promise<string[]>;
  /** Where the shredder has read the log up to (see KeyShredder), or undefined before its first batch. */
  shredderCheckpoint(): Promise<bigint | undefined>;
  saveShredderCheckpoint(position: bigint): Promise<void>;
  close(): Promise<void>;
}

export const partySubject = (partyId: string, referralId: string) => `party:${partyId}@${referralId}`;
export const caseSubject = (referralId: string) => `case:${referralId}`;
