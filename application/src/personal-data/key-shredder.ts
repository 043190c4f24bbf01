/**
 * Destroys the keys that the log says are destroyed, from the log: the store does it as it writes such an event,
 * but a process can die between the write and the destruction; this subscription, checkpointed in the key store
 * itself, makes sure it happens. Destroying is idempotent, so reading an event twice is harmless.
 */
import type { EventStore, Subscription } from '../ports/event-store.js';
import type { KeyStore } from './key-store.js';
import { SHREDDING_EVENT_TYPES, shredFor } from './shredding.js';

export interface KeyShredderOptions {
  /** Told of each key destroyed here (that the write did not already destroy): counts for the log. */
  onShredded?(count: number): void;
  onError?(error: unknown): void;
}

export class KeyShredder {
  private subscription: Subscription | undefined;
  private caughtUp = false;

  constructor(
    private readonly store: EventStore,
    private readonly keys: KeyStore,
    private readonly options: KeyShredderOptions = {},
  ) {}

  async start(): Promise<void> {
    const after = await this.keys.shredderCheckpoint();
    this.subscription = this.store.subscribeToAll({
      from: after === undefined ? 'start' : { after },
      filter: { eventTypes: SHREDDING_EVENT_TYPES },
      handle: async (events) => {
        let destroyed = 0;
        for (const event of events) destroyed += await shredFor(event, this.keys);
        await this.keys.saveShredderCheckpoint(events[events.length - 1]!.position);
        if (destroyed > 0) this.options.onShredded?.(destroyed);
      },
      onCaughtUp: () => {
        this.caughtUp = true;
      },
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
  }

  /** Whether it has read the whole log once (tests and /readyz). */
  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}
