/**
 * A rebuild on this thread: from the start of the log into a shadow database file while the live tables keep
 * serving, then one swap (swap.ts). Works on every store, through its raw page read.
 */
import type { EventStore } from '@hru/application';
import type Database from 'better-sqlite3';
import type { AnyProjection } from '../framework/projection.js';
import { loadShadow, typesRead } from './load.js';
import { logPageReader } from './log-pages.js';
import { RateMeter } from './progress.js';
import { finish, type RebuildOptions, type RebuildReport } from './report.js';
import { openShadow, removeDatabaseFiles, shadowFileFor } from './shadow.js';
import { swapIn } from './swap.js';
import { withLeanHeap } from './lean-heap.js';

export function rebuildProjectionsInto(
  store: EventStore,
  db: Database.Database,
  projections: readonly AnyProjection[],
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  return withLeanHeap(() => rebuildOnThisThread(store, db, projections, options));
}

async function rebuildOnThisThread(store: EventStore, db: Database.Database, projections: readonly AnyProjection[], options: RebuildOptions): Promise<RebuildReport> {
  const shadowFile = shadowFileFor(db);
  let shadow: Database.Database | undefined;
  try {
    shadow = openShadow(shadowFile, projections);
    const meter = new RateMeter(await store.headPosition());
    const reached = await loadShadow(shadow, projections, logPageReader(store, typesRead(projections)), {
      batchSize: options.batchSize ?? 2_000,
      commitEvery: options.commitEvery ?? Number.POSITIVE_INFINITY,
      head: () => store.headPosition(),
      onPage: (events, position, head) => {
        meter.advance(events, position, head);
        options.onProgress?.(meter.progress());
      },
    });
    shadow.close();

    swapIn(db, [{ file: shadowFile, projections }], reached);
    return finish(meter, projections, reached, options);
  } finally {
    if (shadow?.open) shadow.close();
    removeDatabaseFiles(shadowFile);
  }
}
