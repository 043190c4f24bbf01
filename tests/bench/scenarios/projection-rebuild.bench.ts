/**
 * Rebuild of every read model over 1,000,000 realistic referral events (real schemas, interleaved streams),
 * beside the floor: raw SELECT + JSON.parse of the same log. Peak RSS is sampled through the rebuild to show
 * whether memory stays flat (the rebuild pages through the log; nothing should grow with its length). The rebuild
 * runs as `hru projections rebuild` does, on up to two threads (worker_threads, each a share of the log's streams);
 * the label and `threads` say how many, and a second row measures one thread, like for like with the floor.
 * Peak RSS covers the workers too (they share the process).
 */
import type { NewEvent } from '@hru/application';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { eventStoreMigrations, migrate, openSqlite, SqliteEventStore } from '@hru/infra';
import { allProjections, defaultRebuildThreads, openReadModelDb, rebuildProjections } from '@hru/projections';
import { received, given, referralId } from '../../projections/support/history.js';
import { tempDir } from '../../support/temp-dir.js';
import { rawLogRead } from '../support/raw-log-read.js';
import { nowMs, type BenchResult, type BenchScenario } from '../harness.js';
import { TEST_CHAIN_KEY } from '../../support/chain-key.js';

/** Raw rows written beside the store's own migrations; the key only lets migration 3 take its checkpoint. */
const BENCH_CHAIN_KEY = Buffer.from(TEST_CHAIN_KEY);

const TOTAL_EVENTS = 1_000_000;
const PAGE = 2_000;
/** Referrals in flight at once: their events interleave in the log as in a working unit. */
const WINDOW = 200;

/** One referral's life, 20 events: intake to closure with the interventions and outcomes the statistics count. */
function lifeOf(n: number): NewEvent[] {
  const id = referralId(n);
  const day = (k: number) => new Date(Date.UTC(2024, 0, 1) + (n % 700) * 86_400_000 + k * 86_400_000).toISOString().slice(0, 10);
  const at = (k: number) => `${day(k)}T10:00:00Z`;
  const pb = (['stalking', 'serial_domestic_abuse', 'sexual_violence', 'querulance'] as const)[n % 4];
  return [
    received(id, at(0), pb, `CC/${n}`),
    given.urgent(id, 1, at(0), `${day(0)}T10:15:00Z`),
    given.acknowledged(id, 1, at(0)),
    given.triaged(id, at(1)),
    given.screened(id, at(3), n % 3 === 0 ? 'advice_only' : 'adopt'),
    given.assigned(id, at(3)),
    given.discussed(id, at(10)),
    given.plan(id, at(10), n % 2 === 0 ? ['health_pathway_consultation', 'victim_safety_planning'] : ['victim_safety_planning']),
    given.intervention(id, 1, day(12), { kind: 'victim_advocate_contact', outcome: n % 4 === 0 ? 'declined' : 'engaged' }),
    given.intervention(id, 2, day(14), { kind: 'tactical_review' }),
    given.intervention(id, 3, day(15), { kind: 'spo_advised' }),
    given.intervention(id, 4, day(20), { kind: 'spo_applied', order: 'interim' }),
    given.intervention(id, 5, day(22), { kind: 'da_disclosure_to_probation' }),
    given.intervention(id, 6, day(25), { kind: 'direct_constable_intervention' }),
    given.intervention(id, 7, day(28), { kind: 'therapeutic_intervention_started' }),
    given.reviewed(id, at(30), day(60)),
    given.outcome(id, `CC/${n}`, ['1', '3', '16', '18'][n % 4]!, day(40)),
    given.resolved(id, 1, at(41)),
    given.directed(id, at(42), 'victim_advocate'),
    given.closed(id, at(90)),
  ];
}

function fillLog(file: string): void {
  const db = openSqlite(file, { synchronous: 'OFF' });
  migrate(db, eventStoreMigrations, undefined, { chainKey: BENCH_CHAIN_KEY });
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const perLife = lifeOf(0).length;
  const referrals = Math.ceil(TOTAL_EVENTS / perLife);
  const recordedAt = new Date().toISOString();
  let written = 0;
  db.transaction(() => {
    for (let first = 0; first < referrals && written < TOTAL_EVENTS; first += WINDOW) {
      const lives = Array.from({ length: Math.min(WINDOW, referrals - first) }, (_, i) => lifeOf(first + i));
      for (let k = 0; k < perLife; k++) {
        for (const life of lives) {
          if (written === TOTAL_EVENTS) break;
          const e = life[k]!;
          const meta = { ...e.metadata, eventId: randomUUID() };
          insert.run((e.data as { referralId: string }).referralId, k, meta.eventId, e.type, JSON.stringify(e.data), JSON.stringify(meta), recordedAt);
          written++;
        }
      }
    }
  })();
  db.close();
}

function floorRead(file: string): number {
  const { count, eventsPerSecond } = rawLogRead(file, PAGE);
  if (count !== TOTAL_EVENTS) throw new Error(`floor read ${count} events`);
  return eventsPerSecond;
}

const MB = 1024 * 1024;

async function measureRebuild(dir: string, logFile: string, floor: number, threads: number): Promise<BenchResult> {
  const store = new SqliteEventStore(logFile);
  const db = openReadModelDb(join(dir, `read-models-${threads}.sqlite`));
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let rssAtTenth: number | undefined;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let lastPrinted = 0;
  const report = await rebuildProjections(store, db, undefined, (p) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (rssAtTenth === undefined && p.fraction >= 0.1) rssAtTenth = process.memoryUsage().rss;
    if (p.fraction - lastPrinted >= 0.25) {
      lastPrinted = p.fraction;
      process.stderr.write(`  ${threads} thread(s): ${Math.round(p.fraction * 100)}% ${Math.round(p.eventsPerSecond)} events/s rss ${Math.round(process.memoryUsage().rss / MB)} MB\n`);
    }
  }, { threads });
  clearInterval(sampler);
  const cases = (db.prepare('SELECT count(*) AS n FROM caseload_cases').get() as { n: number }).n;
  await store.close();
  db.close();
  // The rebuild reads only the types some projection needs (the alerts model, which needs configuration, is not in this list).
  const needed = [...new Set(allProjections.flatMap((p) => p.eventTypes as readonly string[]))];
  const check = openSqlite(logFile, { readonly: true });
  const expected = (check.prepare(`SELECT count(*) AS n FROM events WHERE type IN (${needed.map(() => '?').join(',')})`).get(...needed) as { n: number }).n;
  check.close();
  if (report.eventsRead !== expected) throw new Error(`rebuild read ${report.eventsRead} events, expected ${expected}`);
  // Flat: after the first tenth (caches, statement preparation) memory grows by less than 64 MB to the end.
  const growthAfterTenth = (peakRss - (rssAtTenth ?? baselineRss)) / MB;
  const flat = growthAfterTenth < 64;
  return {
    scenario: `rebuild of all read models over ${TOTAL_EVENTS} events (${threads} thread${threads === 1 ? '' : 's'})`,
    unit: 'events/s',
    ours: report.eventsPerSecond,
    floor,
    floorLabel: 'raw SELECT + JSON.parse of the same log',
    higherIsBetter: true,
    target: '>= 50% of floor, flat memory',
    met: report.eventsPerSecond >= 0.5 * floor && flat,
    extra: {
      threads,
      seconds: Math.round(report.seconds * 10) / 10,
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
      fillLog(logFile);
      process.stderr.write(`  wrote ${TOTAL_EVENTS} events in ${((nowMs() - fillStarted) / 1000).toFixed(1)} s\n`);
      const floor = floorRead(logFile);

      // What `hru projections rebuild` uses: the embedded log split by stream over this many threads; where that
      // is more than one, also one thread, like for like with the floor's single reader.
      const threads = defaultRebuildThreads();
      const results = [await measureRebuild(dir, logFile, floor, threads)];
      if (threads > 1) results.push(await measureRebuild(dir, logFile, floor, 1));
      return results;
    } finally {
      cleanup();
    }
  },
};

export default scenario;
