/**
 * The key store as erasure, disposal and subject access must see it: before finding or destroying a person's or a
 * case's keys, the KeyLogFollower reads the log to its head, so every key an event written so far names is bound to
 * its subject (keys are handed out unbound, see key-store.ts). An intake written a moment before an erasure is
 * therefore erased with the rest.
 */
import type { KeyLogFollower } from './key-log-follower.js';
import type { KeyStore } from './key-store.js';
import { KeyStoreDecorator } from './key-store-decorator.js';

export class LogBoundKeyStore extends KeyStoreDecorator {
  constructor(
    inner: KeyStore,
    private readonly follower: KeyLogFollower,
  ) {
    super(inner);
  }

  override async destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }> {
    await this.follower.catchUp();
    return this.inner.destroyPerson(partyId);
  }

  override async destroyCase(referralId: string): Promise<{ destroyed: number }> {
    await this.follower.catchUp();
    return this.inner.destroyCase(referralId);
  }

  override async casesOf(partyId: string): Promise<string[]> {
    await this.follower.catchUp();
    return this.inner.casesOf(partyId);
  }
}
