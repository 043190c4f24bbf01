/**
 * The event store on KurrentDB/EventStoreDB through @kurrent/kurrentdb-client. The client (and its native
 * read bridge) is loaded by `connect` only, so deployments on the embedded store never load it.
 */
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { ConfigurationError, UnavailableError, ValidationError } from '@hru/events';
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
} from '@hru/application';
import { startCatchUpSubscription } from './catch-up-subscription.js';
import type { ChainVerifier, VerifyOptions, VerifyReport } from '../../audit/integrity/report.js';
import type { ChainKey } from '../../audit/integrity/chain.js';
import { ChainedAppender } from './chained-append.js';
import { toRecorded, UNKNOWN_POSITION, type FilterFactories } from './mapping.js';
import { AllReader } from './read-all.js';
import { readRawPages } from './raw-read.js';
import { readRawStream } from './stream-read.js';
import { verifyKurrentChains } from './verify-chains.js';

/** How long /readyz waits for the server before calling it unavailable. */
const PING_TIMEOUT_MS = 5_000;

export class KurrentEventStore implements EventStore, ChainVerifier {
  readonly kind = 'kurrentdb' as const;
  private readonly allReader: AllReader;
  private readonly appender: ChainedAppender;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly filters: FilterFactories,
    private readonly chainKey: ChainKey,
  ) {
    this.allReader = new AllReader(client, filters);
    this.appender = new ChainedAppender(client, chainKey);
  }

  /**
   * Opens a client for a `kurrentdb://` or `esdb://` connection string; it connects on first use. The chain
   * key (HRU_CHAIN_KEY) keys the links appended and checks them; the server never sees it.
   */
  static async connect(connectionString: string, chainKey: ChainKey): Promise<KurrentEventStore> {
    const kurrent = await import('@kurrent/kurrentdb-client');
    let client: KurrentDBClient;
    try {
      client = kurrent.KurrentDBClient.connectionString(connectionString);
    } catch (error) {
      throw new ConfigurationError('EVENTSTORE_URL is not a valid KurrentDB connection string', [
        { path: '/EVENTSTORE_URL', message: error instanceof Error ? error.message : String(error) },
      ]);
    }
    return new KurrentEventStore(client, { streamNameFilter: kurrent.streamNameFilter, eventTypeFilter: kurrent.eventTypeFilter }, chainKey);
  }

  /** Appends linked into the stream's hash chain; see chained-append.ts for how racing writers are handled. */
  async appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new ValidationError('Nothing to append', [{ path: '/events', message: 'empty' }]);
    const result = await this.appender.append(streamId, events, options.expectedRevision ?? 'any');
    if (result.position === UNKNOWN_POSITION) {
      // Some server versions answer without a position, and stream reads of old servers carry none.
      const [last] = await this.readStream(streamId, { direction: 'backwards', fromRevision: result.nextExpectedRevision, maxCount: 1 });
      return { ...result, position: last?.position ?? UNKNOWN_POSITION };
    }
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return (await readRawStream(this.client, streamId, options)).map(toRecorded);
  }

  async streamRevision(streamId: string): Promise<number | undefined> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last?.revision;
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.allReader.read(options);
  }

  readAllRaw(options: RawReadOptions): Promise<RawEvent[]> {
    return readRawPages((o) => this.readAll(o), options);
  }

  /** The last event that is not a system event: positions of `$`-events never reach users of the port. */
  async headPosition(): Promise<bigint> {
    const [last] = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return last?.position ?? -1n;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnavailableError(`KurrentDB did not answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.headPosition(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Checks every stream's hash chain, reading $all up to the head as it is now. */
  verifyChains(options: VerifyOptions = {}): Promise<VerifyReport> {
    this.assertOpen();
    return verifyKurrentChains(this.client, this.filters, this.chainKey, options);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = startCatchUpSubscription(this.client, this.filters, options);
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new UnavailableError('The event store is closed');
  }
}
