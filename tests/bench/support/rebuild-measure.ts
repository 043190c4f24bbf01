/**
 * The projection-rebuild bench's measurements (scenarios/projection-rebuild.bench.ts): the floor's read of the log,
 * and one rebuild of every read model with its rate, CPU and memory, each row in a process of its own
 * (`measureRebuildApart`).
 *
 * Apart because the memory is read as growth over the process's own baseline: V8 does not give back the heap a first
 * rebuild grew, so a second rebuild in the same process starts from that heap and its growth reads as flat when it
 * is not (the one-thread row, measured after the two-thread one, reported 27 MB where it grows 89 MB from a process
 * of its own: the old generation grows to about four times what is live before V8 collects it).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite, SqliteEventStore } from '@hru/infra';
import { walCheckpointsDone } from '@hru/infra/sqlite';
import { allProjections, openReadModelDb, rebuildProjections, type AnyProjection } from '@hru/projections';
import { nowMs, type BenchResult } from '../harness.js';
import { rawLogRead } from './raw-log-read.js';

const PAGE = 2_000;

export interface Floor {
  eventsPerSecond: number;
  cpuUsPerEvent: number;
}

/** The floor's rate, and its CPU per event (this process, every thread). */
export function floorRead(file: string, totalEvents: number): Floor {
  const cpu = process.cpuUsage();
  const { count, eventsPerSecond } = rawLogRead(file, PAGE);
  const used = process.cpuUsage(cpu);
  if (count !== totalEvents) throw new Error(`floor read ${count} events`);
  return { eventsPerSecond, cpuUsPerEvent: (used.user + used.system) / count };
}

const MB = 1024 * 1024;

/**
 * `floor` as measured just before. Beside the rates, the CPU each spends per event of the log (every thread of this
 * process): on a shared machine the floor and the rebuild, measured a minute apart, may get very different shares of
 * the cores, and the CPU ratio says how much more work the rebuild does, whatever the load.
 */
export async function measureRebuild(dir: string, logFile: string, totalEvents: number, floor: Floor, threads: number): Promise<BenchResult> {
  const store = new SqliteEventStore(logFile);
  const db = openReadModelDb(join(dir, `read-models-${threads}.sqlite`));
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let rssAtTenth: number | undefined;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let lastPrinted = 0;
  const cpu = process.cpuUsage();
  const report = await rebuildProjections(store, db, undefined, (p) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (rssAtTenth === undefined && p.fraction >= 0.1) rssAtTenth = process.memoryUsage().rss;
    if (p.fraction - lastPrinted >= 0.25) {
      lastPrinted = p.fraction;
      process.stderr.write(`  ${threads} thread(s): ${Math.round(p.fraction * 100)}% ${Math.round(p.eventsPerSecond)} events/s rss ${Math.round(process.memoryUsage().rss / MB)} MB\n`);
    }
  }, { threads });
  // The swap's commit leaves the copy of its WAL back into the file to a thread of its own (checkpoint-beside.ts):
  // the read models serve the new rows from the commit, so the rate stops there; how long the copy-back went on
  // after it is reported beside, and its CPU is counted in the rebuild's.
  const checkpointStarted = nowMs();
  await walCheckpointsDone(db);
  const checkpointAfterSeconds = (nowMs() - checkpointStarted) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  const cases = (db.prepare('SELECT count(*) AS n FROM caseload_cases').get() as { n: number }).n;
  await store.close();
  db.close();
  // The rebuild reads only the types some projection needs (the alerts model, which needs configuration, is not in this
  // list). On several threads, each thread reads the types of the projections it holds (rebuild/plan.ts), so an event
  // some projections on two threads read is read twice: the rate is of the log's events, each counted once, not of the
  // reads, or a second read would make the rebuild look faster than the floor's one read. Threads that each read a
  // share of the streams for the same projections read those types' events once between them.
  const typesOf = (projections: readonly AnyProjection[]) => [...new Set(projections.flatMap((p) => p.eventTypes as readonly string[]))];
  const check = openSqlite(logFile, { readonly: true });
  const countOf = (types: readonly string[]) =>
    types.length === 0 ? 0 : (check.prepare(`SELECT count(*) AS n FROM events WHERE type IN (${types.map(() => '?').join(',')})`).get(...types) as { n: number }).n;
  const logEvents = countOf(typesOf(allProjections));
  // The parts as the rebuild reports them (shares of the streams for the same projections named once).
  const readers = new Set(report.parts.map((part) => part.projections.join(',')));
  const reads = [...readers].reduce((sum, names) => sum + countOf(typesOf(allProjections.filter((p) => names.split(',').includes(p.name)))), 0);
  check.close();
  if (report.eventsRead !== reads) throw new Error(`rebuild read ${report.eventsRead} events, expected ${reads}`);
  const eventsPerSecond = logEvents / report.seconds;
  // Flat: after the first tenth (caches, statement preparation) memory grows by less than 64 MB to the end.
  const growthAfterTenth = (peakRss - (rssAtTenth ?? baselineRss)) / MB;
  const flat = growthAfterTenth < 64;
  return {
    scenario: `rebuild of all read models over ${totalEvents} events, personal data sealed (${threads} thread${threads === 1 ? '' : 's'})`,
    unit: 'events/s',
    ours: eventsPerSecond,
    floor: floor.eventsPerSecond,
    floorLabel: 'raw SELECT + JSON.parse of the same sealed log',
    higherIsBetter: true,
    target: '>= 50% of floor (sealed log), flat memory',
    met: eventsPerSecond >= 0.5 * floor.eventsPerSecond && flat,
    extra: {
      threads,
      parts: report.parts.map((part) => part.projections.join(',')).join(' | '),
      seconds: Math.round(report.seconds * 10) / 10,
      walCopyBackAfterSeconds: Math.round(checkpointAfterSeconds * 100) / 100,
      logEvents,
      eventsRead: report.eventsRead,
      cpuUsPerEvent: +((used.user + used.system) / logEvents).toFixed(2),
      floorCpuUsPerEvent: +floor.cpuUsPerEvent.toFixed(2),
      // The floor's CPU per event over the rebuild's: the work ratio, as the rate ratio would be on idle cores.
      cpuRatioPct: +((floor.cpuUsPerEvent / ((used.user + used.system) / logEvents)) * 100).toFixed(1),
      casesProjected: cases,
      baselineRssMb: Math.round(baselineRss / MB),
      rssAtTenthMb: Math.round((rssAtTenth ?? baselineRss) / MB),
      peakRssMb: Math.round(peakRss / MB),
      growthAfterTenthMb: Math.round(growthAfterTenth),
      memoryFlat: flat ? 'yes' : 'no',
    },
  };
}

/** The line before the result on the child's standard output. */
const RESULT_MARK = 'rebuild-result ';

/**
 * `measureRebuild` in a process of its own (the same Node flags: the tsx loader, the source conditions), started as
 * `hru projections rebuild` starts, so that its memory grows from a baseline no earlier rebuild inflated.
 */
export function measureRebuildApart(dir: string, logFile: string, totalEvents: number, floor: Floor, threads: number): BenchResult {
  const script = fileURLToPath(new URL('./measure-rebuild.ts', import.meta.url));
  const result = spawnSync(process.execPath, [...process.execArgv, script, dir, logFile, String(totalEvents), String(threads), JSON.stringify(floor)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`the ${threads}-thread rebuild failed (exit ${result.status ?? result.signal})`);
  const line = result.stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (!line) throw new Error(`the ${threads}-thread rebuild printed no result`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as BenchResult;
}

/** `measureRebuildApart`'s child prints its result with this. */
export function printRebuildResult(result: BenchResult): void {
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}
