/**
 * The key store as erasure, disposal and subject access must see it: before finding or destroying a person's or a
 * case's keys, the KeyLogFollower reads the log to its head, so every key an event written so far names is bound to
 * its subject (keys are handed out unbound, see key-store.ts). An intake written a moment before an erasure is
 * therefore erased with the rest.
 */
import type { KeyLogFollower } from './key-log-follower.js';
import type { CurrentKeysOptions, DataKey, KeyStore } from './key-store.js';

export class LogBoundKeyStore implements KeyStore {
  constructor(
    readonly inner: KeyStore,
    private readonly follower: KeyLogFollower,
  ) {}

  currentKeys(subjects: readonly string[], options?: CurrentKeysOptions): Promise<Map<string, DataKey>> {
    return this.inner.currentKeys(subjects, options);
  }

  keysById(ids: readonly string[]): Promise<Map<string, Buffer>> {
    return this.inner.keysById(ids);
  }

  bindKeys(keyIds: readonly string[], position: bigint): Promise<void> {
    return this.inner.bindKeys(keyIds, position);
  }

  async destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }> {
    await this.follower.catchUp();
    return this.inner.destroyPerson(partyId);
  }

  async destroyCase(referralId: string): Promise<{ destroyed: number }> {
    await this.follower.catchUp();
    return this.inner.destroyCase(referralId);
  }

  async casesOf(partyId: string): Promise<string[]> {
    await this.follower.catchUp();
    return this.inner.casesOf(partyId);
  }

  logCheckpoint(): Promise<bigint | undefined> {
    return this.inner.logCheckpoint();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
