/**
 * The key store port of per-person encryption (crypto-shredding). Every person in every case
 * (`party:<partyId>@<referralId>`) and every case (`case:<referralId>`, the case's free text) has a data key;
 * destroying it makes everything written under it unreadable forever, while the log itself is never rewritten.
 * A person's keys are per case so that disposing of one case (retention review) leaves the same person's details in
 * their other, retained cases readable; erasing the person destroys all of them. Keys are versioned by generation: a subject whose key
 * was destroyed and who then appears again (a source system re-sends the crime) gets a new generation, and what was
 * written under the old one stays unreadable.
 *
 * New keys are not created one subject at a time: the store hands out keys it created ahead, and the event that first
 * uses one names it (`subject#generation`). The log is then the record of which key belongs to whom, and
 * `bindKeys`, fed from the log by the KeyLogFollower, writes that record into the store. Erasure, disposal and subject
 * access ask only after the follower has read the log to its head (LogBoundKeyStore), so they find every key.
 *
 * The embedded adapter keeps the data keys in their own SQLite file, wrapped by a key-encryption key
 * (infra/src/keystore); a production deployment wraps them with a KMS through `KeyWrapper`.
 */

/** A data key in use: `id` is `<subject>#<generation>`, stored beside every ciphertext made with it. */
export interface DataKey {
  id: string;
  key: Buffer;
}

export interface CurrentKeysOptions {
  /**
   * Subjects that cannot have a key yet, because the stream of their case is being created by this very append (a
   * key is bound only once an event of the case names it): not looked up.
   */
  unseen?: ReadonlySet<string>;
}

export interface KeyStore {
  /**
   * The current key of each subject; a subject with none (or whose last key was destroyed) gets one created ahead,
   * already durable. It is bound to the subject once an event naming it is read from the log (`bindKeys`).
   */
  currentKeys(subjects: readonly string[], options?: CurrentKeysOptions): Promise<Map<string, DataKey>>;
  /** Keys by id, bound or not yet: a key that was destroyed, or never existed, is absent from the map. */
  keysById(ids: readonly string[]): Promise<Map<string, Buffer>>;
  /**
   * Records that events up to `position` in the log named these keys (ids as sealed parts carry them): each key not
   * yet bound is bound to the subject its id names, and `position` becomes the log checkpoint, in one transaction.
   * Idempotent.
   */
  bindKeys(keyIds: readonly string[], position: bigint): Promise<void>;
  /**
   * Erases a person: destroys their key in every case, and the key of every such case (its free text describes
   * them). Idempotent; returns the cases concerned and how many live keys went.
   */
  destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }>;
  /** Disposes of a case: destroys its key and its people's keys in it (their other cases keep theirs). Idempotent. */
  destroyCase(referralId: string): Promise<{ destroyed: number }>;
  /** The cases a person's details were ever written in (their keys may since have been destroyed). */
  casesOf(partyId: string): Promise<string[]>;
  /**
   * Starts making keys ahead now, in the background where the store can: a process that takes intakes calls it as it
   * starts, so that its first new case does not make a batch of keys itself. Returns at once; a failure is met again,
   * and reported, by the intake that needs the keys.
   */
  stockAhead(): void;
  /** Where the KeyLogFollower has read the log up to (inclusive), or undefined before its first batch. */
  logCheckpoint(): Promise<bigint | undefined>;
  close(): Promise<void>;
}

export const partySubject = (partyId: string, referralId: string) => `party:${partyId}@${referralId}`;
export const caseSubject = (referralId: string) => `case:${referralId}`;

/**
 * Generations of keys created ahead are numbered store-wide from above this, so a key id never repeats one made by
 * counting a subject's generations (1, 2, … as keys were created per subject before the pool).
 */
export const POOL_GENERATION_BASE = 2 ** 32;

/** `<subject>#<generation>` → its parts, or undefined for anything else. */
export function parseKeyId(id: string): { subject: string; generation: number } | undefined {
  const hash = id.lastIndexOf('#');
  if (hash <= 0) return undefined;
  const generation = Number(id.slice(hash + 1));
  return Number.isSafeInteger(generation) && generation > 0 ? { subject: id.slice(0, hash), generation } : undefined;
}
