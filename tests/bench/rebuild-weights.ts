/**
 * Measures each read model's `rebuildWeight` (rebuild/plan.ts shares a parallel rebuild's projections out between
 * threads by it): the seconds a rebuild of that projection alone on one thread takes over the sealed bench log, less
 * the seconds a raw read of its event types takes (a thread reads the log once for all the projections it holds, so
 * the reading is not the projection's own). Rounds are alternated projection by projection; the median is printed.
 *
 *   node --conditions=@hru/source --import tsx tests/bench/rebuild-weights.ts [events=1000000] [rounds=3]
 *
 * HRU_REBUILD_LOG=FILE reuses (or keeps) the log between runs.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, SqliteEventStore } from '@hru/infra';
import { allProjections, openReadModelDb, rebuildProjections, type AnyProjection } from '@hru/projections';
import { nowMs } from './harness.js';
import { sealedLogFor } from './support/sealed-log.js';

const events = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const { dir, logFile, cleanup } = sealedLogFor('hru-rebuild-weights-', events);

/** Seconds to read and parse the events of the projection's types, as a rebuild's page reader does. */
function readSeconds(projection: AnyProjection): number {
  const db = openSqlite(logFile, { readonly: true });
  const types = [...new Set(projection.eventTypes as readonly string[])];
  const select = db
    .prepare(`SELECT position, type, data, metadata FROM events WHERE position >= ? AND type IN (${types.map(() => '?').join(', ')}) ORDER BY position LIMIT 2000`)
    .raw();
  const started = nowMs();
  for (let from = 0; ; ) {
    const rows = select.all(from, ...types) as [number, string, string, string][];
    if (rows.length === 0) break;
    for (const row of rows) JSON.parse(row[2]);
    from = rows[rows.length - 1]![0] + 1;
  }
  db.close();
  return (nowMs() - started) / 1000;
}

async function rebuildSeconds(projection: AnyProjection): Promise<number> {
  const store = new SqliteEventStore(logFile);
  const file = join(dir, `read-models-${projection.name}.sqlite`);
  const db = openReadModelDb(file);
  try {
    const started = nowMs();
    await rebuildProjections(store, db, [projection.name], undefined, { threads: 1 });
    return (nowMs() - started) / 1000;
  } finally {
    await store.close();
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const weights = new Map<string, number[]>(allProjections.map((p) => [p.name, []]));
  await rebuildSeconds(allProjections[0]!); // the JIT and the page cache, not counted
  for (let round = 0; round < rounds; round++) {
    for (const projection of allProjections) {
      const read = readSeconds(projection);
      const rebuild = await rebuildSeconds(projection);
      weights.get(projection.name)!.push(rebuild - read);
      console.log(`round ${round + 1} ${projection.name}: rebuild ${rebuild.toFixed(2)} s, read ${read.toFixed(2)} s`);
    }
  }
  console.log(`\nrebuildWeight (median of ${rounds}, seconds over ${events} events; declared now):`);
  for (const projection of allProjections) {
    console.log(`  ${projection.name.padEnd(14)} ${median(weights.get(projection.name)!).toFixed(2).padStart(6)}   ${projection.rebuildWeight ?? '(1)'}`);
  }
} finally {
  cleanup();
}
