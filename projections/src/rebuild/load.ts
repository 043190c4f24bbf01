/** Loading a shadow: the log's pages applied through each projection's shadow applier (or its `apply`). */
import type Database from 'better-sqlite3';
import type { AnyProjection, ProjectedEvent, ShadowApplier } from '../framework/projection.js';
import type { LogPageReader } from './log-pages.js';

/** The event types the projections read. */
export function typesRead(projections: readonly AnyProjection[]): string[] {
  return [...new Set(projections.flatMap((p) => p.eventTypes as readonly string[]))];
}

/** Each projection's way of applying a rebuild to one shadow, by the event types it reads. */
export interface ShadowAppliers {
  byType: Map<string, ShadowApplier[]>;
  flush(): void;
  /** Every applier's `finish`, then its flush: after the last event of the load. */
  finish(): void;
}

export function shadowAppliers(shadow: Database.Database, projections: readonly AnyProjection[]): ShadowAppliers {
  const byType = new Map<string, ShadowApplier[]>();
  const appliers = projections.map((projection) => {
    const applier: ShadowApplier = projection.shadowApplier?.(shadow) ?? { apply: (event) => projection.apply(shadow, event), flush() {} };
    for (const type of projection.eventTypes) byType.set(type, [...(byType.get(type) ?? []), applier]);
    return applier;
  });
  return {
    byType,
    flush: () => appliers.forEach((a) => a.flush()),
    finish: () =>
      appliers.forEach((a) => {
        a.finish?.();
        a.flush();
      }),
  };
}

export function applyPage(appliers: ShadowAppliers, page: readonly ProjectedEvent[]): void {
  for (const event of page) {
    const forType = appliers.byType.get(event.type);
    if (forType) for (const applier of forType) applier.apply(event);
  }
}

export interface ShadowLoad {
  /** Where to start reading (default: the start of the log). */
  from?: bigint;
  batchSize: number;
  commitEvery: number;
  /** Called with the head of the log before each page is read; the read stops at an empty page. */
  head(): Promise<bigint>;
  /** After each page: events in it, the last position read, the head it was read against. */
  onPage?(events: number, reached: bigint, head: bigint): void | Promise<void>;
}

/**
 * Applies the log from its start (or `from`) to the shadow's projections, page by page, until a page comes back
 * empty. Returns the position the shadow is complete up to.
 */
export async function loadShadow(
  shadow: Database.Database,
  projections: readonly AnyProjection[],
  reader: LogPageReader,
  load: ShadowLoad,
): Promise<bigint> {
  const appliers = shadowAppliers(shadow, projections);
  let next = load.from ?? 0n;
  let reached = next - 1n;
  let sinceCommit = 0;
  shadow.exec('BEGIN');
  for (;;) {
    const head = await load.head();
    const page = await reader.read(next, load.batchSize);
    if (page.length === 0) {
      // Everything up to `head` has been read: events that the filter skipped count as seen.
      if (head > reached) reached = head;
      break;
    }
    applyPage(appliers, page);
    reached = page[page.length - 1]!.position;
    next = reached + 1n;
    sinceCommit += page.length;
    if (sinceCommit >= load.commitEvery) {
      appliers.flush();
      shadow.exec('COMMIT; BEGIN');
      sinceCommit = 0;
    }
    await load.onPage?.(page.length, reached, head);
  }
  appliers.finish();
  shadow.exec('COMMIT');
  return reached;
}
