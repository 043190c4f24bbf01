/**
 * Event for event, two logs in log order: the same stream, revision, event id, type, data and metadata (as
 * canonical JSON, so key order does not matter), and nothing more on either side. Positions and record times are
 * the target's own and are not compared. Copying in log order makes the target a prefix of the source while the
 * copy runs, so a walk of both at once finds both what arrived and where anything else begins.
 */
import type { EventStore, RecordedEvent } from '@hru/application';
import { canonicalJson } from '../../audit/integrity/canonical-json.js';
import { LogCursor } from './log-cursor.js';

export interface LogDifference {
  /** How many events matched before it. */
  eventsMatched: number;
  streamId: string;
  revision: number;
  /** What differs: `missing-in-target`, `extra-in-target`, or the first field that differs. */
  kind: 'missing-in-target' | 'extra-in-target' | 'stream' | 'revision' | 'event-id' | 'type' | 'data' | 'metadata';
  /** The source's position of the event (absent for an event only the target holds). */
  sourcePosition?: string;
}

export interface LogComparison {
  events: number;
  /** Streams (counted by their first event). */
  streams: number;
  difference: LogDifference | null;
}

export interface CompareProgress {
  events: number;
  position: bigint;
}

export const MIGRATION_PAGE_SIZE = 500;

/** The first field in which two recorded events differ (undefined when they are the same event). */
export function differingField(here: RecordedEvent, there: RecordedEvent): LogDifference['kind'] | undefined {
  if (here.streamId !== there.streamId) return 'stream';
  if (here.revision !== there.revision) return 'revision';
  if (here.eventId !== there.eventId) return 'event-id';
  if (here.type !== there.type) return 'type';
  if (canonicalJson(here.data) !== canonicalJson(there.data)) return 'data';
  if (canonicalJson(here.metadata) !== canonicalJson(there.metadata)) return 'metadata';
  return undefined;
}

/** Compares the whole of both logs; stops at the first difference. */
export async function compareLogs(
  source: EventStore,
  target: EventStore,
  options: { pageSize?: number; onProgress?: (p: CompareProgress) => void } = {},
): Promise<LogComparison> {
  const pageSize = options.pageSize ?? MIGRATION_PAGE_SIZE;
  const here = new LogCursor(source, pageSize);
  const there = new LogCursor(target, pageSize);
  let events = 0;
  let streams = 0;
  for (;;) {
    const [a, b] = [await here.take(), await there.take()];
    if (!a && !b) return { events, streams, difference: null };
    const kind = !b ? 'missing-in-target' : !a ? 'extra-in-target' : differingField(a, b);
    if (kind) {
      // A difference is named by the target's event (what is there instead); a missing one by the source's.
      const at = (b ?? a)!;
      return { events, streams, difference: { eventsMatched: events, streamId: at.streamId, revision: at.revision, kind, ...(a ? { sourcePosition: String(a.position) } : {}) } };
    }
    events++;
    if (a!.revision === 0) streams++;
    if (events % pageSize === 0) options.onProgress?.({ events, position: a!.position });
  }
}

export function describeDifference(d: LogDifference): string {
  const where = `stream ${d.streamId} revision ${d.revision}${d.sourcePosition ? ` (source position ${d.sourcePosition})` : ''}, after ${d.eventsMatched} matching events`;
  switch (d.kind) {
    case 'missing-in-target':
      return `the target ends before the source: ${where} has not arrived`;
    case 'extra-in-target':
      return `the target holds an event the source does not: ${where}`;
    default:
      return `the target's event differs from the source's (${d.kind}) at ${where}`;
  }
}
