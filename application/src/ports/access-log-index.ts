/**
 * An optional capability of an event store: the s62 access-log entries of one referral or one actor, in time
 * order, found through an index instead of by reading every entry of the period's day streams. The embedded store
 * has it (indexes on the log itself, so a search never lags an entry); a store without it is searched day by day.
 */
import { storeWithCapability, type EventStore, type RecordedEvent } from './event-store.js';

export interface AccessEntriesQuery {
  by: 'referral' | 'actor';
  /** The referral id, or the actor's `sub` (staff) or system name. */
  key: string;
  /** ISO 8601 bounds of `occurredAt`, inclusive. */
  from: string;
  to: string;
  /** Continue after this entry (time, then log position). */
  after?: { at: string; position: bigint } | undefined;
  limit: number;
}

export interface AccessLogIndex {
  readAccessEntries(query: AccessEntriesQuery): Promise<RecordedEvent[]>;
}

/** The store's index, or the index of the store it wraps (the encrypting store: access-log entries are not sealed). */
export function accessLogIndexOf(store: EventStore): AccessLogIndex | undefined {
  return storeWithCapability<AccessLogIndex>(store, 'readAccessEntries');
}
