/**
 * The people this process has just sealed, in clear, until their event is first opened: on the live path the case
 * search's blind index opens every new intake's people milliseconds after the append (cipher.ts `openPeople`), and
 * decrypting what this process encrypted a moment before cost two AES-GCM operations per intake (a cipher set-up
 * each), about a tenth of the encryption's cost.
 *
 * An entry answers only for the very part it was made for: the same key id, nonce and ciphertext, in the same stream
 * and event (the associated data the ciphertext is bound to), so a part copied to another event still goes through
 * decryption and fails it. The nonce is a fresh random 96 bits per part, so it names the part. The caller still asks
 * the key store for the part's key and serves an entry only while the key is live: a destroyed key reads erased, as
 * decryption would. Entries are dropped once used, the oldest past the bound, and all of them whenever keys are
 * destroyed: clear personal data stays in memory only briefly, never on disk.
 */

interface Entry {
  keyId: string;
  ct: string;
  streamId: string;
  eventId: string;
  /** The person as sealed: the JSON that was encrypted. */
  plain: string;
}

export class JustSealed {
  private readonly byNonce = new Map<string, Entry>();

  /** `max` parts at most (default 4,096: seconds of intakes at the bench's rate, well under a megabyte). */
  constructor(private readonly max = 4_096) {}

  remember(iv: string, entry: Entry): void {
    this.byNonce.set(iv, entry);
    // A Map iterates in insertion order: the first key is the oldest entry.
    if (this.byNonce.size > this.max) this.byNonce.delete(this.byNonce.keys().next().value!);
  }

  /** The clear JSON of this exact part, once (the entry is dropped); undefined when it was not sealed here lately. */
  take(part: { k: string; iv: string; ct: string }, streamId: string, eventId: string): string | undefined {
    const entry = this.byNonce.get(part.iv);
    if (entry === undefined || entry.keyId !== part.k || entry.ct !== part.ct || entry.streamId !== streamId || entry.eventId !== eventId) {
      return undefined;
    }
    this.byNonce.delete(part.iv);
    return entry.plain;
  }

  /** Keys were destroyed: nothing sealed before stays in memory in clear. */
  clear(): void {
    this.byNonce.clear();
  }

  get size(): number {
    return this.byNonce.size;
  }
}
