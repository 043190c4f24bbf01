/**
 * A key store that passes every call to the one it wraps: the base of the decorators that add one concern to the
 * destructions (reading the log first, emptying a cache after), so each states only what it adds.
 */
import type { CurrentKeysOptions, DataKey, KeyStore } from './key-store.js';

export abstract class KeyStoreDecorator implements KeyStore {
  constructor(readonly inner: KeyStore) {}

  currentKeys(subjects: readonly string[], options?: CurrentKeysOptions): Promise<Map<string, DataKey>> {
    return this.inner.currentKeys(subjects, options);
  }

  keysById(ids: readonly string[]): Promise<Map<string, Buffer>> {
    return this.inner.keysById(ids);
  }

  bindKeys(keyIds: readonly string[], position: bigint): Promise<void> {
    return this.inner.bindKeys(keyIds, position);
  }

  destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }> {
    return this.inner.destroyPerson(partyId);
  }

  destroyCase(referralId: string): Promise<{ destroyed: number }> {
    return this.inner.destroyCase(referralId);
  }

  casesOf(partyId: string): Promise<string[]> {
    return this.inner.casesOf(partyId);
  }

  stockAhead(): void {
    this.inner.stockAhead();
  }

  logCheckpoint(): Promise<bigint | undefined> {
    return this.inner.logCheckpoint();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
