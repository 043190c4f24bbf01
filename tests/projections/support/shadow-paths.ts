/**
 * The two ways a rebuild's shadow applier meets a projection's events, for the specs that hold it to `apply`: into an
 * empty shadow (every event, then `finish`, which derives what the load left for the end) and into a shadow that
 * already holds the first half (a parallel rebuild's catch-up, which keeps everything as it goes).
 */
import type Database from 'better-sqlite3';
import type { AnyProjection, ProjectedEvent } from '@hru/projections';

/** Every event into an empty shadow; `beforeFinish` sees the shadow once they are applied and flushed. */
export function loadEmptyShadow(projection: AnyProjection, shadow: Database.Database, events: readonly ProjectedEvent[], beforeFinish?: () => void): void {
  const applier = projection.shadowApplier!(shadow);
  if (!applier.finish) throw new Error(`${projection.name}: no finish for an empty shadow`);
  for (const e of events) applier.apply(e as never);
  applier.flush();
  beforeFinish?.();
  applier.finish();
  applier.flush();
}

/** The first half through `apply`, the rest through a shadow applier made on the loaded shadow. */
export function catchUpHalfLoaded(projection: AnyProjection, shadow: Database.Database, events: readonly ProjectedEvent[]): void {
  const half = Math.floor(events.length / 2);
  for (const e of events.slice(0, half)) projection.apply(shadow, e as never);
  const applier = projection.shadowApplier!(shadow);
  for (const e of events.slice(half)) applier.apply(e as never);
  applier.finish?.();
  applier.flush();
}
