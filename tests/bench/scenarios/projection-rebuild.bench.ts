/**
 * Rebuild of every read model over 1,000,000 realistic referral events (real schemas, interleaved streams),
 * beside the floor: raw SELECT + JSON.parse of the same log. Peak RSS is sampled through the rebuild to show
 * whether memory stays flat (the rebuild pages through the log; nothing should grow with its length). The rebuild
 * runs as `hru projections rebuild` does, on up to two threads (worker_threads: one pass for the models that join
 * referrals, one for the rest); the label and `threads` say how many, and a second row measures one thread, like for
 * like with the floor.
 * Peak RSS covers the workers too (they share the process).
 *
 * The log is written as production writes it: through the EncryptingEventStore, so every ReferralReceived holds
 * its summary and people sealed under per-case and per-person keys (a SqliteKeyStore beside the log). The rebuild
 * reads the log sealed, as the engine's projector does; what the encryption costs it is the longer bodies to read
 * and parse, which the floor, reading the same log, pays too. The log is written in a process of its own and made
 * durable before the floor and the rebuilds read it: filled in this process, the first rebuild after it ran with the
 * heap of a million appends and the kernel writing back the log's last few hundred MB (12.2–12.3 s against 8.6–9.1 s
 * for the same code in the next run).
 */
import { join } from 'node:path';
import { openSqlite, SqliteEventStore } from '@hru/infra';
import { walCheckpointsDone } from '@hru/infra/sqlite';
import { allProjections, defaultRebuildThreads, openReadModelDb, rebuildProjections, type AnyProjection } from '@hru/projections';
import { tempDir } from '../../support/temp-dir.js';
import { rawLogRead } from '../support/raw-log-read.js';
import { nowMs, type BenchResult, type BenchScenario } from '../harness.js';
import { fillSealedLogApart } from '../support/sealed-log.js';

/** A whole number of 20-event lives. HRU_BENCH_REBUILD_EVENTS sets a shorter log for profiling (a multiple of 4,000). */
const TOTAL_EVENTS = Number(process.env.HRU_BENCH_REBUILD_EVENTS ?? 1_000_000);
const PAGE = 2_000;

/** The floor's rate, and its CPU per event (this process, every thread). */
function floorRead(file: string): { eventsPerSecond: number; cpuUsPerEvent: number } {
  const cpu = process.cpuUsage();
  const { count, eventsPerSecond } = rawLogRead(file, PAGE);
  const used = process.cpuUsage(cpu);
  if (count !== TOTAL_EVENTS) throw new Error(`floor read ${count} events`);
  return { eventsPerSecond, cpuUsPerEvent: (used.user + used.system) / count };
}

const MB = 1024 * 1024;

/**
 * `floor` as measured just before. Beside the rates, the CPU each spends per event of the log (every thread of this
 * process): on a shared machine the floor and the rebuild, measured a minute apart, may get very different shares of
 * the cores, and the CPU ratio says how much more work the rebuild does, whatever the load.
 */
async function measureRebuild(dir: string, logFile: string, floor: { eventsPerSecond: number; cpuUsPerEvent: number }, threads: number): Promise<BenchResult> {
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
    scenario: `rebuild of all read models over ${TOTAL_EVENTS} events, personal data sealed (${threads} thread${threads === 1 ? '' : 's'})`,
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

const scenario: BenchScenario = {
  name: 'projection rebuild (all read models, embedded SQLite)',
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-rebuild-');
    try {
      const logFile = join(dir, 'events.sqlite');
      const fillStarted = nowMs();
      fillSealedLogApart(dir, logFile, TOTAL_EVENTS);
      process.stderr.write(`  wrote ${TOTAL_EVENTS} events in ${((nowMs() - fillStarted) / 1000).toFixed(1)} s\n`);
      const floor = floorRead(logFile);

      // What `hru projections rebuild` uses: the embedded log over this many threads (parallel.ts plans the parts);
      // where that is more than one, also one thread, like for like with the floor's single reader.
      // HRU_BENCH_REBUILD_THREADS=1 measures (or profiles) the single thread alone.
      const threads = Number(process.env.HRU_BENCH_REBUILD_THREADS ?? defaultRebuildThreads());
      const results = [await measureRebuild(dir, logFile, floor, threads)];
      if (threads > 1) results.push(await measureRebuild(dir, logFile, floor, 1));
      return results;
    } finally {
      cleanup();
    }
  },
};

export default scenario;
