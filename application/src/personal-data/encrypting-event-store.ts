/**
 * The event store as everything above it sees it: `personal` sections are sealed on the way in and opened on the
 * way out of stream and log reads, so the command handler, the history, the as-of state and the exports read clear
 * data (or its erased form) while the store, and every file it writes, holds only ciphertext. The hash chains are
 * computed by the store over what it stores, so they cover the ciphertext and still verify after an erasure.
 *
 * Subscriptions and raw replays hand events over SEALED: they feed the read models, which must never hold personal
 * data, so they never see it (and a rebuild pays nothing for the encryption).
 *
 * An event that destroys keys (PartyErased, RetentionReviewed with `dispose`) is honoured as soon as it is written;
 * the KeyShredder replays the same events from the log, so a crash between the write and the destruction is healed.
 */
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RawEvent,
  RawReadOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../ports/event-store.js';
import { PersonalDataCipher } from './cipher.js';
import type { KeyStore } from './key-store.js';
import { shredFor } from './shredding.js';

export class EncryptingEventStore implements EventStore {
  readonly kind: EventStore['kind'];
  private readonly cipher: PersonalDataCipher;

  constructor(
    /** The store underneath, holding ciphertext (the integrity monitor verifies its chains). */
    readonly inner: EventStore,
    readonly keys: KeyStore,
  ) {
    this.kind = inner.kind;
    this.cipher = new PersonalDataCipher(keys);
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    const sealed = await this.cipher.seal(events.map((event) => ({ streamId, eventId: event.metadata.eventId, data: event.data, event })));
    const result = await this.inner.appendToStream(
      streamId,
      sealed.map(({ event, data }) => ({ ...event, data })),
      options,
    );
    for (const event of events) await shredFor(event, this.keys);
    return result;
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.cipher.open(await this.inner.readStream(streamId, options));
  }

  streamRevision(streamId: string): Promise<number | undefined> {
    return this.inner.streamRevision(streamId);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.cipher.open(await this.inner.readAll(options));
  }

  /** Sealed: a replay feeds read models (see the class comment). */
  readAllRaw(options: RawReadOptions): Promise<RawEvent[]> {
    return this.inner.readAllRaw(options);
  }

  /** Sealed: subscribers are read models and reactors (see the class comment). */
  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.keys.close();
  }
}
