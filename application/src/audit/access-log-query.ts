/**
 * Queries the s62 access log (one stream per UTC day) by period, referral and actor, in time order, a page
 * at a time. The cursor names the day stream and the revision to continue from.
 */
import { ValidationError, accessLogStreamFor, type PersonalDataAccessed } from '@hru/events';
import type { EventStore, RecordedEvent } from '../ports/event-store.js';
import { accessLogIndexOf, type AccessLogIndex } from '../ports/access-log-index.js';
import { timelineActor, type TimelineActor } from './timeline.js';

const DAY_MS = 86_400_000;
/** A query spans at most this many day streams: a bound on the work one request can cause. */
export const MAX_ACCESS_LOG_DAYS = 366;
/** Entries read from a day stream at a time. */
const SCAN_CHUNK = 500;

export interface AccessLogQuery {
  from: Date;
  to: Date;
  referralId?: string | undefined;
  /** The actor's `sub` (staff) or system name. */
  actor?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface AccessLogEntry {
  at: string;
  referralId: string;
  resource: string;
  kind: 'consultation' | 'disclosure' | 'erasure';
  /** The person concerned, for a person's export or erasure. */
  partyId: string | null;
  justification: string;
  recipients: string[];
  gateway: string | null;
  actor: TimelineActor;
  /** The server's id of the request that read the data. */
  requestId: string;
  /** The caller's own `X-Request-Id`, if it sent one (null before access-log v2). */
  clientRequestId: string | null;
  correlationId: string;
  /** Where the entry is kept: its day stream and revision (for verification and citation). */
  stream: string;
  revision: number;
}

export interface AccessLogPage {
  entries: AccessLogEntry[];
  /** Pass as `cursor` for the next page; null when the period has been read to its end. */
  nextCursor: string | null;
}

type AccessData = (typeof PersonalDataAccessed)['schema']['_output'];

export async function queryAccessLog(store: EventStore, query: AccessLogQuery): Promise<AccessLogPage> {
  const days = dayStreams(query.from, query.to);
  const index = accessLogIndexOf(store);
  if (index && (query.referralId !== undefined || query.actor !== undefined)) return queryIndexed(index, query);
  let { day, revision } = parseCursor(query.cursor, days);
  const entries: AccessLogEntry[] = [];
  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  // Without a filter every entry in the period is on the page: read no more than the page still needs. With one (a
  // store without the index), most are skipped: read in chunks.
  const filtered = query.referralId !== undefined || query.actor !== undefined;
  for (; day < days.length; day++, revision = 0) {
    const stream = days[day]!;
    for (;;) {
      const chunk = filtered ? SCAN_CHUNK : Math.min(SCAN_CHUNK, query.limit - entries.length);
      const page = await store.readStream(stream, { fromRevision: revision, maxCount: chunk });
      for (const event of page) {
        revision = event.revision + 1;
        const entry = toEntry(stream, event);
        const at = Date.parse(entry.at);
        if (at < fromMs || at > toMs) continue;
        if (query.referralId && entry.referralId !== query.referralId) continue;
        if (query.actor && entry.actor.sub !== query.actor) continue;
        entries.push(entry);
        if (entries.length === query.limit) return { entries, nextCursor: `${stream}@${revision}` };
      }
      if (page.length < chunk) break;
    }
  }
  return { entries, nextCursor: null };
}

/**
 * By referral or actor through the store's index, in time order then log order (the day scan's order, as entries
 * are written at the time they record). The cursor is `i:<time>@<position>` of the last entry returned.
 */
async function queryIndexed(index: AccessLogIndex, query: AccessLogQuery): Promise<AccessLogPage> {
  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  const after = parseIndexCursor(query.cursor);
  const by = query.referralId !== undefined ? { by: 'referral' as const, key: query.referralId } : { by: 'actor' as const, key: query.actor! };
  const entries: AccessLogEntry[] = [];
  let cursor = after;
  // The index compares times as text: widened by a second each side, and each entry then checked as the scan does.
  const from = new Date(fromMs - 1_000).toISOString();
  const to = new Date(toMs + 1_000).toISOString();
  for (;;) {
    const page = await index.readAccessEntries({ ...by, from, to, after: cursor, limit: query.limit });
    for (const event of page) {
      cursor = { at: event.metadata.occurredAt, position: event.position };
      const entry = toEntry(event.streamId, event);
      const at = Date.parse(entry.at);
      if (at < fromMs || at > toMs) continue;
      if (query.actor && entry.actor.sub !== query.actor) continue;
      entries.push(entry);
      if (entries.length === query.limit) return { entries, nextCursor: `i:${cursor.at}@${cursor.position}` };
    }
    if (page.length < query.limit) return { entries, nextCursor: null };
  }
}

function parseIndexCursor(cursor: string | undefined): { at: string; position: bigint } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^i:([0-9T:.+Z-]{10,40})@(\d{1,18})$/.exec(cursor);
  if (!match) throw new ValidationError('Not a cursor of this query', [{ path: '/cursor', message: 'use nextCursor as given' }]);
  return { at: match[1]!, position: BigInt(match[2]!) };
}

/** The entry's fields only: no timeline entry (its summary and reason are text work a page of 500 need not do). */
function toEntry(stream: string, event: RecordedEvent): AccessLogEntry {
  const data = event.data as AccessData;
  return {
    at: event.metadata.occurredAt,
    referralId: data.referralId,
    resource: data.resource,
    kind: data.kind,
    partyId: data.partyId ?? null,
    justification: data.justification,
    recipients: data.recipients ?? [],
    gateway: data.gateway ?? null,
    actor: timelineActor(event.metadata.actor),
    requestId: data.requestId,
    clientRequestId: data.clientRequestId ?? null,
    correlationId: event.metadata.correlationId,
    stream,
    revision: event.revision,
  };
}

function dayStreams(from: Date, to: Date): string[] {
  if (!(from.getTime() <= to.getTime())) {
    throw new ValidationError('The period ends before it starts', [{ path: '/from', message: 'must not be after `to`' }]);
  }
  const first = Math.floor(from.getTime() / DAY_MS);
  const last = Math.floor(to.getTime() / DAY_MS);
  if (last - first + 1 > MAX_ACCESS_LOG_DAYS) {
    throw new ValidationError(`A query spans at most ${MAX_ACCESS_LOG_DAYS} days`, [{ path: '/from', message: 'period too long' }]);
  }
  return Array.from({ length: last - first + 1 }, (_, i) => accessLogStreamFor(new Date((first + i) * DAY_MS)));
}

function parseCursor(cursor: string | undefined, days: string[]): { day: number; revision: number } {
  if (cursor === undefined) return { day: 0, revision: 0 };
  const match = /^(access-log-\d{4}-\d{2}-\d{2})@(\d+)$/.exec(cursor);
  const day = match ? days.indexOf(match[1]!) : -1;
  if (!match || day < 0) throw new ValidationError('Not a cursor of this query', [{ path: '/cursor', message: 'use nextCursor as given' }]);
  return { day, revision: Number(match[2]) };
}
