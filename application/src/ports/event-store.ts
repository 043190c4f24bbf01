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
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Position of the last event in the global log, or -1n when the log is empty. */
  headPosition(): Promise<bigint>;
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function matchesFilter(event: { type: string; streamId: string }, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}

export function describeExpected(expected: ExpectedRevision): string {
  return typeof expected === 'number' ? String(expected) : expected;
}
