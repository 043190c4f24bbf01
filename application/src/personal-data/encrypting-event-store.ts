/**
 * The event store as everything above it sees it: `personal` sections are sealed on the way in and opened on the
 * way out of stream and log reads, so the command handler, the history, the as-of state and the exports read clear
 * data (or its erased form) while the store, and every file it writes, holds only ciphertext. The hash chains are
 * computed by the store over what it stores, so they cover the ciphertext and still verify after an erasure.
 *
 * Subscriptions and raw replays hand events over SEALED: they feed the read models, which must never hold personal
 * data, so they never see it (and a rebuild pays nothing for the encryption).
 *
 * Keys come unbound from the key store's pool; the KeyLogFollower binds them from the log (`follower`, started by the
 * engine), and `keys` waits for it before erasing or disposing. An event that destroys keys (PartyErased,
 * RetentionReviewed with `dispose`) is honoured as soon as it is written, by reading the log to it; a crash between
 * the write and the destruction is healed by the same reading at the next start.
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
import { KeyLogFollower, type KeyLogFollowerOptions } from './key-log-follower.js';
import type { KeyStore } from './key-store.js';
import { LogBoundKeyStore } from './log-bound-key-store.js';
import { KeyStoreDecorator } from './key-store-decorator.js';
import { SHREDDING_EVENT_TYPES } from './shredding.js';

const shredding = new Set<string>(SHREDDING_EVENT_TYPES);

/** The key store, telling `forget` after each destruction. */
class ForgettingKeyStore extends KeyStoreDecorator {
  constructor(
    inner: KeyStore,
    private readonly forget: () => void,
  ) {
    super(inner);
  }

  override async destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }> {
    try {
      return await this.inner.destroyPerson(partyId);
    } finally {
      this.forget();
    }
  }

  override async destroyCase(referralId: string): Promise<{ destroyed: number }> {
    try {
      return await this.inner.destroyCase(referralId);
    } finally {
      this.forget();
    }
  }
}

export class EncryptingEventStore implements EventStore {
  readonly kind: EventStore['kind'];
  /** The key store, seen through the log: erasure and disposal find every key written so far. */
  readonly keys: LogBoundKeyStore;
  /** Binds keys and destroys erased ones from the log; `start()` it where the engine runs. */
  readonly follower: KeyLogFollower;
  private readonly cipher: PersonalDataCipher;

  constructor(
    /** The store underneath, holding ciphertext (the integrity monitor verifies its chains). */
    readonly inner: EventStore,
    keys: KeyStore,
    followerOptions: KeyLogFollowerOptions = {},
  ) {
    this.kind = inner.kind;
    this.cipher = new PersonalDataCipher(keys);
    // Every destruction, by an erasure here or read from the log, also drops the people the cipher holds in clear.
    const forgetting = new ForgettingKeyStore(keys, () => this.cipher.forgetSealed());
    this.follower = new KeyLogFollower(inner, forgetting, followerOptions);
    this.keys = new LogBoundKeyStore(forgetting, this.follower);
  }

  /** Destroys at once the keys that events just written destroy (the follower reads the log up to them). */
  protected async honourShredding(events: readonly NewEvent[]): Promise<void> {
    if (events.some((event) => shredding.has(event.type))) await this.follower.catchUp();
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    const sealed = await this.cipher.seal(
      events.map((event) => ({ streamId, eventId: event.metadata.eventId, data: event.data, event })),
      options?.expectedRevision === 'no_stream',
    );
    const result = await this.inner.appendToStream(
      streamId,
      sealed.map(({ event, data }) => ({ ...event, data })),
      options,
    );
    await this.honourShredding(events);
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

  /**
   * The people of these stored events opened, the case's free text left sealed out (`PersonalDataCipher.openPeople`):
   * the case search's blind index opens the intake events its subscription already holds, with no second read.
   */
  openPeople<E extends { streamId: string; eventId: string; data: unknown }>(events: readonly E[]): Promise<E[]> {
    return this.cipher.openPeople(events);
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
    await this.follower.stop();
    await this.inner.close();
    await this.keys.close();
  }
}
