/**
 * Issue 16: what the rebuild of every read model costs per event of a sealed log, beside its floor (raw SELECT +
 * JSON.parse of the same log), in CPU (this process, every thread), alternated round by round so that a drift in
 * the machine's load weighs on both. The bench (`npm run bench -- projection-rebuild`) measures each once, a minute
 * apart; this repeats them over one log, which it writes once (or reuses, with HRU_REBUILD_LOG=FILE).
 *
 *   node --expose-gc --conditions=@hru/source --import tsx tests/bench/rebuild-cost.ts [events=200000] [rounds=3] [threads=1]
 *
 * A first round of both is not counted: the first rebuild of the process pays for the JIT and the page cache.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { SqliteEventStore } from '@hru/infra';
import { openReadModelDb, rebuildProjections } from '@hru/projections';
import { rawLogRead } from './support/raw-log-read.js';
import { sealedLogFor } from './support/sealed-log.js';

const events = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 3);
const threads = Number(process.argv[4] ?? 1);

const { dir, logFile, cleanup } = sealedLogFor('hru-rebuild-cost-', events);

const cpuOf = (used: NodeJS.CpuUsage) => used.user + used.system;

/** CPU per event, µs, and events per second of wall-clock time. */
interface Cost {
  cpu: number;
  rate: number;
}

function floor(): Cost {
  const cpu = process.cpuUsage();
  const { count, eventsPerSecond } = rawLogRead(logFile, 2_000);
  return { cpu: cpuOf(process.cpuUsage(cpu)) / count, rate: eventsPerSecond };
}

let run = 0;
async function rebuild(): Promise<Cost> {
  const store = new SqliteEventStore(logFile);
  const db = openReadModelDb(join(dir, `read-models-${run++}.sqlite`));
  try {
    const head = Number(await store.headPosition()) + 1;
    global.gc?.();
    const cpu = process.cpuUsage();
    const { seconds } = await rebuildProjections(store, db, undefined, undefined, { threads });
    return { cpu: cpuOf(process.cpuUsage(cpu)) / head, rate: head / seconds };
  } finally {
    await store.close();
    db.close();
  }
}

try {
  const floors: Cost[] = [];
  const rebuilds: Cost[] = [];
  for (let round = 0; round <= rounds; round++) {
    const load = loadavg()[0]!.toFixed(1);
    // The order swaps every round.
    let f: Cost;
    let r: Cost;
    if (round % 2 === 0) {
      f = floor();
      r = await rebuild();
    } else {
      r = await rebuild();
      f = floor();
    }
    if (round > 0) {
      floors.push(f);
      rebuilds.push(r);
    }
    console.log(
      `${round === 0 ? 'warm-up' : `round ${round}`}: floor ${f.cpu.toFixed(2)} µs/event, rebuild ${r.cpu.toFixed(2)} µs/event (${threads} thread(s)): ` +
        `CPU ratio ${((f.cpu / r.cpu) * 100).toFixed(1)}%, rate ratio ${((r.rate / f.rate) * 100).toFixed(1)}%, load ${load}`,
    );
  }
  const sum = (costs: Cost[], of: keyof Cost) => costs.reduce((a, c) => a + c[of], 0);
  console.log(
    `over ${rounds} rounds: floor ${(sum(floors, 'cpu') / rounds).toFixed(2)} µs/event, rebuild ${(sum(rebuilds, 'cpu') / rounds).toFixed(2)} µs/event, ` +
      `CPU ratio ${((sum(floors, 'cpu') / sum(rebuilds, 'cpu')) * 100).toFixed(1)}%, rate ratio ${((sum(rebuilds, 'rate') / sum(floors, 'rate')) * 100).toFixed(1)}%`,
  );
} finally {
  cleanup();
}
