/**
 * Copies one event log into another (the embedded log into KurrentDB: `hru migrate`), keeping every event's id,
 * type, data and metadata. Events go in the source's log order, so each stream keeps its order and the target's
 * $all keeps the cross-stream order the read models are rebuilt in; consecutive events of one stream go in one
 * append, at the exact revision they had (the first of a stream expecting no stream), so nothing is ever written
 * twice or beside another writer's events: the target refuses. The target's own adapter links each event into its
 * hash chain under the same chain key, so the chains verify there (positions differ, so the hashes do too).
 *
 * Resumable: what the target already holds must be the start of the source, event for event (it is compared, not
 * trusted), and the copy goes on after it. A target holding anything else is refused before anything is written.
 */
import { ConcurrencyError } from '@hru/events';
import type { EventStore, NewEvent, RecordedEvent } from '@hru/application';
import { describeDifference, differingField, MIGRATION_PAGE_SIZE } from './compare-logs.js';
import { LogCursor } from './log-cursor.js';
import { MigrationRefusedError } from './migration-refused-error.js';

/** Events per append at most: one original transaction rarely holds more, and KurrentDB bounds an append's size. */
const MAX_EVENTS_PER_APPEND = 100;

export interface CopyProgress {
  phase: 'compare' | 'copy';
  /** Events compared (already in the target) or copied so far in this phase. */
  events: number;
  /** The source's position reached, and its head when the copy began. */
  position: bigint;
  head: bigint;
}

export interface CopyReport {
  /** Events the target held already (an earlier, interrupted run), each found identical to the source's. */
  alreadyThere: number;
  copied: number;
  appends: number;
  /** The source's head when the copy began; events appended to it after that are copied too if read in time. */
  sourceHead: bigint;
}

export async function copyLog(
  source: EventStore,
  target: EventStore,
  options: { pageSize?: number; onProgress?: (p: CopyProgress) => void } = {},
): Promise<CopyReport> {
  const pageSize = options.pageSize ?? MIGRATION_PAGE_SIZE;
  const head = await source.headPosition();
  const from = new LogCursor(source, pageSize);
  const arrived = new LogCursor(target, pageSize);

  let alreadyThere = 0;
  for (let there = await arrived.take(); there; there = await arrived.take()) {
    const here = await from.take();
    const kind = here ? differingField(here, there) : 'extra-in-target';
    if (kind) {
      const at = there;
      throw new MigrationRefusedError(
        `Refusing to migrate: ${describeDifference({ kind, streamId: at.streamId, revision: at.revision, eventsMatched: alreadyThere, ...(here ? { sourcePosition: String(here.position) } : {}) })}. Migrate into an empty target, or into the one an interrupted run of this log left.`,
        { streamId: at.streamId, revision: at.revision, eventsCompared: alreadyThere },
      );
    }
    alreadyThere++;
    if (alreadyThere % pageSize === 0) options.onProgress?.({ phase: 'compare', events: alreadyThere, position: here!.position, head });
  }

  let copied = 0;
  let appends = 0;
  let lastReported = 0;
  for (let first = await from.take(); first; first = await from.take()) {
    const run: RecordedEvent[] = [first];
    for (let next = await from.peek(); next && next.streamId === first.streamId && run.length < MAX_EVENTS_PER_APPEND; next = await from.peek()) {
      run.push((await from.take())!);
    }
    await appendRun(target, run, alreadyThere + copied);
    copied += run.length;
    appends++;
    if (copied - lastReported >= pageSize) {
      lastReported = copied;
      options.onProgress?.({ phase: 'copy', events: copied, position: run.at(-1)!.position, head });
    }
  }
  return { alreadyThere, copied, appends, sourceHead: head };
}

/** One stream's consecutive events at the revision they have in the source; a target that moved on is refused. */
async function appendRun(target: EventStore, run: readonly RecordedEvent[], eventsBefore: number): Promise<void> {
  const first = run[0]!;
  const events: NewEvent[] = run.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }));
  try {
    await target.appendToStream(first.streamId, events, { expectedRevision: first.revision === 0 ? 'no_stream' : first.revision - 1 });
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    throw new MigrationRefusedError(
      `Refusing to go on: stream ${first.streamId} in the target is at revision ${error.actual} where the copy expected ${error.expected} (something else writes to the target); ${eventsBefore} events were copied before it.`,
      { streamId: first.streamId, revision: first.revision, eventsCompared: eventsBefore },
    );
  }
}
