/**
 * The two ways a rebuild's shadow applier meets a projection's events, for the specs that hold it to `apply`: into an
 * empty shadow (every event, then `finish`, which derives what the load left for the end) and into a shadow that
 * already holds the first half (a parallel rebuild's catch-up, which keeps everything as it goes).
 */
import Database from 'better-sqlite3';
import { installSchema, type AnyProjection, type ProjectedEvent, type ShadowApplier } from '@hru/projections';

/** An empty database with the projection's tables, without their secondary indexes, as a rebuild loads them. */
export function emptyShadow(projection: AnyProjection): Database.Database {
  const db = new Database(':memory:');
  installSchema(db, projection, { withIndexes: false });
  return db;
}

/** Every row of the projection's tables, each table ordered by all its columns. */
export function rowsOf(db: Database.Database, projection: AnyProjection): Record<string, unknown[]> {
  const columns = (t: string) => (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).join(', ');
  return Object.fromEntries(projection.tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${columns(t)}`).all()]));
}

/** Every event through the applier as a rebuild's load ends it: `finish` with rows still held back, then the last flush. */
export function loadAsRebuild(applier: Pick<ShadowApplier<never>, 'apply' | 'flush' | 'finish'>, events: readonly ProjectedEvent[]): void {
  for (const e of events) applier.apply(e as never);
  applier.finish?.();
  applier.flush();
}

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
