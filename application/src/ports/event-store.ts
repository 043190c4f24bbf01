/**
 * The event store port: every adapter (embedded SQLite, KurrentDB/EventStoreDB) implements exactly this
 * and passes the one contract suite in tests/contract.
 *
 * Revisions are per stream and start at 0. Positions order the global log; they are opaque but comparable
 * bigints (SQLite: a gapless sequence; KurrentDB: the commit position of the transaction log).
 */
import type { EventMetadata } from '@hru/events';

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface NewEvent {
  type: string;
  data: unknown;
  /** `metadata.eventId` makes appends idempotent: retrying the same events does not duplicate them. */
  metadata: EventMetadata;
}

export interface RecordedEvent {
  streamId: string;
  revision: number;
  position: bigint;
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** When the store recorded the event (ISO 8601); `metadata.occurredAt` is when it happened. */
  recordedAt: string;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: the value to expect on the next append. */
  nextExpectedRevision: number;
  /** Position of the last appended event in the global log. */
  position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive start: forwards from this revision, or backwards from it. Default: start (or end, backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface EventFilter {
  eventTypes?: readonly string[];
  streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  direction?: Direction;
  /** Inclusive start position. Default: the start of the log (or its end, backwards). */
  fromPosition?: bigint;
  maxCount?: number;
  filter?: EventFilter;
}

/**
 * One share of the log's streams, for a replay split over threads: every event of a stream lands in the same
 * share, in log order. A stream's share is the code point of its id's last character modulo `count` (see
 * `partitionOf`): referral ids end in a hex digit or similar, so the shares come out even, and SQLite can skip
 * the other shares' rows without parsing them.
 */
export interface LogPartition {
  index: number;
  count: number;
}

export interface RawReadOptions {
  /** Inclusive start position. */
  fromPosition: bigint;
  maxCount: number;
  /** Only events of these types: a replay names what its readers take. */
  eventTypes: readonly string[];
  /** Inclusive end position: nothing beyond it, even if the log has grown since. */
  upTo?: bigint;
  partition?: LogPartition;
}

/**
 * An event as a replay reads it: its place, its type, its data as written (parsed JSON, neither upcast nor
 * validated) and the two metadata fields a read model sees. No stream id, revision or event id: a rebuild reads
 * every event of the log, and a column nobody uses is a string made and dropped per row. The caller owns the
 * objects (a rebuild upcasts them in place).
 */
export interface RawEvent {
  position: bigint;
  type: string;
  data: unknown;
  /** `actorId`: a person's `sub` or the system's name (who acknowledged an alert, say). */
  metadata: { occurredAt: string; schemaVersion: number; actorId: string };
}

/** Where a subscription begins: the start of the log, or just after a stored checkpoint. */
export type SubscriptionStart = 'start' | { after: bigint };

export interface SubscribeOptions {
  from: SubscriptionStart;
  filter?: EventFilter;
  /** Up to this many events are handed over at once (catch-up reads in pages of this size). */
  batchSize?: number;
  /**
   * Once live, wait this long after being woken before reading, so events arriving close together come as
   * one batch: eventually consistent readers (projections) trade a few milliseconds for far fewer
   * transactions. 0 (the default) hands each event over at once, as alerting wants. A hint: an adapter
   * whose server pushes events may batch differently.
   */
  coalesceMs?: number;
  /** Called with events in log order; the next batch waits for the returned promise. */
  handle(events: readonly RecordedEvent[]): Promise<void>;
  /** Called once, when the subscription has read everything there was and switches to live events. */
  onCaughtUp?(): void;
  /** Called if the subscription stops for good (the handler threw, or the store failed beyond retry). */
  onError?(error: unknown): void;
}

export interface Subscription {
  stop(): Promise<void>;
  /** Settles when the subscription has stopped, for whatever reason. */
  readonly done: Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'kurrentdb';
  appendToStream(streamId: string, events: readonly NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The current revision of a stream, or `undefined` when it does not exist. */
  streamRevision(streamId: string): Promise<number | undefined>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The global log forwards, as light rows for a replay: events of the given types from `fromPosition` (up to
   * `upTo`, in `partition`), in log order. A page holds `maxCount` events unless there are no more, so an empty
   * page means the end.
   */
  readAllRaw(options: RawReadOptions): Promise<RawEvent[]>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Position of the last event in the global log, or -1n when the log is empty. */
  headPosition(): Promise<bigint>;
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A store that wraps another (the encrypting store wraps the log's store): an optional capability of the inner store
 * (an index of its own tables) is reached through the wrapper.
 */
export interface WrappingEventStore extends EventStore {
  readonly inner: EventStore;
}

/**
 * The store, or the store it wraps, that has the optional method `method` (a capability such as an index), or
 * undefined when neither has it. What the inner store returns is not opened by the wrapper: callers of a capability
 * read only what needs no opening.
 */
export function storeWithCapability<T extends object>(store: EventStore, method: keyof T & string): (T & EventStore) | undefined {
  for (const candidate of [store, (store as Partial<WrappingEventStore>).inner]) {
    if (candidate && typeof (candidate as unknown as Record<string, unknown>)[method] === 'function') return candidate as T & EventStore;
  }
  return undefined;
}

export function matchesFilter(event: { type: string; streamId: string }, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}

/** The share of the log a stream belongs to: the code point of its id's last character, as SQLite's `unicode(substr(id, -1))`. */
export function partitionOf(streamId: string, count: number): number {
  const end = streamId.length - 1;
  const last = streamId.charCodeAt(end);
  // A low surrogate ends a character outside the Basic Multilingual Plane: take the whole code point.
  const codePoint = last >= 0xdc00 && last <= 0xdfff && end > 0 ? streamId.codePointAt(end - 1)! : last;
  return codePoint % count;
}

export function describeExpected(expected: ExpectedRevision): string {
  return typeof expected === 'number' ? String(expected) : expected;
}
