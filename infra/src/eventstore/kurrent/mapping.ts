/**
 * Translations between the port's vocabulary and the KurrentDB client's: revisions and positions
 * (numbers and bigints ↔ the client's bigints and {commit, prepare}), recorded events, filters
 * and errors. Only types are imported here, so nothing loads the client until an adapter connects.
 */
import type {
  ErrorType,
  Filter,
  Position,
  RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { ConcurrencyError, UnavailableError, type EventMetadata } from '@hru/events';
import { describeExpected, type EventFilter, type ExpectedRevision, type RecordedEvent } from '@hru/application';
import { withoutIntegrity } from './integrity.js';

/**
 * Servers before 22.6 do not send the $all position with stream reads, and a few clients report the
 * "no position" sentinel (2^64 - 1) instead of leaving it out. Both surface as -1n: unknown.
 */
const NO_POSITION = 2n ** 64n - 1n;
export const UNKNOWN_POSITION = -1n;

/** The commit position: unique per event for ordinary appends, and what the server orders $all by. */
export function toPositionBigint(position: Position | undefined): bigint {
  if (!position || position.commit === NO_POSITION) return UNKNOWN_POSITION;
  return position.commit;
}

/**
 * A port position as a client position. Only the commit position is kept by the port; for events not
 * written in explicit transactions (every append through this adapter) prepare equals commit.
 */
export function toClientPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

export function isSystemEvent(event: { type: string }): boolean {
  return event.type.startsWith('$');
}

export function toRecorded(event: KurrentRecordedEvent & { position?: Position | undefined }): RecordedEvent {
  if (!event.isJson) throw new Error(`Event ${event.id} in ${event.streamId} is not JSON; this adapter only writes JSON`);
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: toPositionBigint(event.position),
    eventId: event.id,
    type: event.type,
    data: event.data,
    // The chain link stays in the store: callers get back exactly the metadata they appended.
    metadata: withoutIntegrity(event.metadata) as EventMetadata,
    recordedAt: event.created.toISOString(),
  };
}

/** Matches any of the given names exactly, for the server's regular expressions (.NET syntax). */
function exactAlternation(names: readonly string[]): string {
  return `^(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}

export interface FilterFactories {
  streamNameFilter(options: { prefixes: string[] } | { regex: string }): Filter;
  eventTypeFilter(options: { prefixes: string[] } | { regex: string }): Filter;
}

/**
 * The server filters on one field only (stream name or event type), so the most selective part of our
 * filter goes to the server and the whole filter, system events included, is applied again here.
 */
export function toServerFilter(filter: EventFilter | undefined, factories: FilterFactories): Filter {
  if (filter?.streamPrefixes && filter.streamPrefixes.length > 0) return factories.streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.eventTypes && filter.eventTypes.length > 0) return factories.eventTypeFilter({ regex: exactAlternation(filter.eventTypes) });
  return factories.eventTypeFilter({ regex: '^[^$]' });
}

type KurrentErrorType = `${ErrorType}`;

function errorType(error: unknown): KurrentErrorType | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? (type as KurrentErrorType) : undefined;
}

const unavailableTypes: ReadonlySet<KurrentErrorType> = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader', 'cancelled']);

export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === 'stream-not-found';
}

export function isUnavailable(error: unknown): boolean {
  const type = errorType(error);
  if (type && unavailableTypes.has(type)) return true;
  // grpc-js status 14 (UNAVAILABLE) or 4 (DEADLINE_EXCEEDED) before the client wrapped it.
  const code = (error as { code?: unknown } | null)?.code;
  return code === 14 || code === 4;
}

/** The port's errors for what the client threw; anything unrecognised is passed on as it is. */
export function toStoreError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (errorType(error) === 'wrong-expected-version') {
    const actual = (error as { actualState: bigint | 'no_stream' }).actualState;
    return new ConcurrencyError(streamId, describeExpected(expected), actual === 'no_stream' ? 'no_stream' : Number(actual));
  }
  return toUnavailable(error);
}

export function toUnavailable(error: unknown): unknown {
  return isUnavailable(error) ? new UnavailableError('KurrentDB is unavailable', { cause: error }) : error;
}
