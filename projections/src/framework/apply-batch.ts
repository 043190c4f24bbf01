/**
 * Applies a batch of recorded events to one projection and moves its checkpoint in the same transaction:
 * a crash or a throw mid-batch leaves both as they were, and an event at or below the checkpoint (a
 * redelivery) changes nothing.
 */
import type { RecordedEvent } from '@hru/application';
import type Database from 'better-sqlite3';
import { actorIdOf, eventRegistry } from '@hru/events';
import { moveCheckpoint, readCheckpoint } from './checkpoints.js';
import type { AnyProjection, ProjectedEvent } from './projection.js';

/** The stored checkpoint is not the one this runner started from: a rebuild swapped the tables. */
export class CheckpointMovedError extends Error {
  constructor(readonly projection: string) {
    super(`The checkpoint of projection ${projection} was reset by a rebuild`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * Upcasts through the registry without re-validating (validated when written; see `readTrusted`): replay
 * speed is the point of a rebuild. The result keeps its place in the log.
 */
export function toProjected(recorded: RecordedEvent): ProjectedEvent {
  const envelope = eventRegistry.readTrusted(recorded);
  const { occurredAt, schemaVersion, actor } = envelope.metadata;
  const metadata = { occurredAt, schemaVersion, actorId: actorIdOf(actor) };
  // Projections subscribe only to projectable event types, so the envelope is one of them.
  return {
    type: envelope.type,
    data: envelope.data,
    metadata,
    position: recorded.position,
  } as ProjectedEvent;
}

/** Applies events above `after` in order; returns the last position applied (or `after`). Caller holds the transaction. */
export function applyEvents(db: Database.Database, projection: AnyProjection, events: readonly ProjectedEvent[], after: bigint): bigint {
  let last = after;
  for (const event of events) {
    if (event.position <= last) continue;
    projection.apply(db, event);
    last = event.position;
  }
  return last;
}

export interface BatchResult {
  applied: number;
  checkpoint: bigint;
}

/**
 * `applyBatch`'s work inside a transaction the caller already holds, with no savepoint of its own: a throw leaves
 * whatever this call wrote in that transaction, for the caller to roll back (see projection-group.ts).
 */
export function applyBatchInTransaction(
  db: Database.Database,
  projection: AnyProjection,
  recorded: readonly RecordedEvent[],
  expectedGeneration: number,
): BatchResult {
  const events = recorded.map(toProjected);
  const checkpoint = readCheckpoint(db, projection.name);
  if (!checkpoint || checkpoint.generation !== expectedGeneration || checkpoint.version !== projection.version) {
    throw new CheckpointMovedError(projection.name);
  }
  const last = applyEvents(db, projection, events, checkpoint.position);
  if (last !== checkpoint.position) moveCheckpoint(db, projection.name, last);
  return { applied: events.filter((e) => e.position > checkpoint.position).length, checkpoint: last };
}

export function applyBatch(
  db: Database.Database,
  projection: AnyProjection,
  recorded: readonly RecordedEvent[],
  expectedGeneration: number,
): BatchResult {
  // Inside a transaction already open, better-sqlite3 makes this a savepoint: a throw undoes this batch only.
  const run = db.transaction((): BatchResult => applyBatchInTransaction(db, projection, recorded, expectedGeneration));
  // IMMEDIATE: take the write lock before reading the checkpoint, so two runners cannot both apply a batch.
  return run.immediate();
}
