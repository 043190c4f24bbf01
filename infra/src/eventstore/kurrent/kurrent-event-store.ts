/**
 * The event store on KurrentDB/EventStoreDB through @kurrent/kurrentdb-client. The client (and its native
 * read bridge) is loaded by `connect` only, so deployments on the embedded store never load it.
 */
import type { KurrentDBClient, ReadRevision, ResolvedEvent } from '@kurrent/kurrentdb-client';
import { ConfigurationError, UnavailableError, ValidationError } from '@hru/events';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import { startCatchUpSubscription } from './catch-up-subscription.js';
import {
  isStreamNotFound,
  toEventData,
  toPositionBigint,
  toRecorded,
  toStoreError,
  toStreamState,
  toUnavailable,
  UNKNOWN_POSITION,
  type FilterFactories,
} from './mapping.js';
import { AllReader } from './read-all.js';

/** How long /readyz waits for the server before calling it unavailable. */
const PING_TIMEOUT_MS = 5_000;

export class KurrentEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private readonly allReader: AllReader;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly filters: FilterFactories,
  ) {
    this.allReader = new AllReader(client, filters);
  }

  /** Opens a client for a `kurrentdb://` or `esdb://` connection string; it connects on first use. */
  static async connect(connectionString: string): Promise<KurrentEventStore> {
    const kurrent = await import('@kurrent/kurrentdb-client');
    let client: KurrentDBClient;
    try {
      client = kurrent.KurrentDBClient.connectionString(connectionString);
    } catch (error) {
      throw new ConfigurationError('EVENTSTORE_URL is not a valid KurrentDB connection string', [
        { path: '/EVENTSTORE_URL', message: error instanceof Error ? error.message : String(error) },
      ]);
    }
    return new KurrentEventStore(client, { streamNameFilter: kurrent.streamNameFilter, eventTypeFilter: kurrent.eventTypeFilter });
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new ValidationError('Nothing to append', [{ path: '/events', message: 'empty' }]);
    const expected = options.expectedRevision ?? 'any';
    let result;
    try {
      result = await this.client.appendToStream(streamId, events.map(toEventData), { streamState: toStreamState(expected) });
    } catch (error) {
      throw toStoreError(error, streamId, expected);
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    let position = toPositionBigint(result.position);
    if (position === UNKNOWN_POSITION) {
      // Some server versions answer an idempotent retry without a position: the stored event knows it.
      const [last] = await this.readStream(streamId, { direction: 'backwards', fromRevision: nextExpectedRevision, maxCount: 1 });
      position = last?.position ?? UNKNOWN_POSITION;
    }
    return { nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const direction = options.direction ?? 'forwards';
    const fromRevision: ReadRevision = options.fromRevision === undefined ? (direction === 'backwards' ? 'end' : 'start') : BigInt(options.fromRevision);
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, { direction, fromRevision, maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        if (resolved.event) out.push(toRecorded(resolved.event));
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw toUnavailable(error);
    }
    return out;
  }

  async streamRevision(streamId: string): Promise<number | undefined> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last?.revision;
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.allReader.read(options);
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
