/**
 * Rebuild of every read model over 1,000,000 realistic referral events (real schemas, interleaved streams),
 * beside the floor: raw SELECT + JSON.parse of the same log. Peak RSS is sampled through the rebuild to show
 * whether memory stays flat (the rebuild pages through the log; nothing should grow with its length). The rebuild
 * runs as `hru projections rebuild` does, on up to two threads (worker_threads: one pass for the models that join
 * referrals, one for the rest); the label and `threads` say how many, and a second row measures one thread, like for
 * like with the floor.
 * Peak RSS covers the workers too (they share the process), and each row is measured in a process of its own, so
 * that its growth is over a baseline no earlier rebuild inflated (support/rebuild-measure.ts).
 *
 * The log is written as production writes it: through the EncryptingEventStore, so every ReferralReceived holds
 * its summary and people sealed under per-case and per-person keys (a SqliteKeyStore beside the log). The rebuild
 * reads the log sealed, as the engine's projector does; what the encryption costs it is the longer bodies to read
 * and parse, which the floor, reading the same log, pays too. The log is written in a process of its own and made
 * durable before the floor and the rebuilds read it: filled in this process, the first rebuild after it ran with the
 * heap of a million appends and the kernel writing back the log's last few hundred MB (12.2–12.3 s against 8.6–9.1 s
 * for the same code in the next run).
 *
 * The row of the engine's threads is measured in rounds (HRU_BENCH_REBUILD_ROUNDS, default 3), each the floor read
 * just before the rebuild, and reports the round of the median ratio, every round's ratio beside it: the floor alone
 * moved from 4.0 to 6.9 µs an event between runs on one machine, so a floor read once, up to a minute before the row
 * it is compared with, moved the ratio by as much as the rebuild's own changes. Memory must stay flat in every round.
 */
import { join } from 'node:path';
import { defaultRebuildThreads } from '@hru/projections';
import { tempDir } from '../../support/temp-dir.js';
import { nowMs, type BenchResult, type BenchScenario } from '../harness.js';
import { floorRead, measureRebuildApart } from '../support/rebuild-measure.js';
import { fillSealedLogApart } from '../support/sealed-log.js';

/** A whole number of 20-event lives. HRU_BENCH_REBUILD_EVENTS sets a shorter log for profiling (a multiple of 4,000). */
const TOTAL_EVENTS = Number(process.env.HRU_BENCH_REBUILD_EVENTS ?? 1_000_000);

/** Rounds of the floor and the rebuild on the engine's threads (HRU_BENCH_REBUILD_ROUNDS). */
const ROUNDS = Math.max(1, Number(process.env.HRU_BENCH_REBUILD_ROUNDS ?? 3));

const ratioOf = (result: BenchResult) => result.ours / result.floor!;

/** The round of the median ratio, with every round's ratio, time and growth; met only if memory stayed flat in all. */
function medianRound(rounds: readonly BenchResult[]): BenchResult {
  const median = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor(rounds.length / 2)]!;
  const flat = rounds.every((round) => round.extra?.memoryFlat === 'yes');
  return {
    ...median,
    met: ratioOf(median) >= 0.5 && flat,
    extra: {
      ...median.extra,
      rounds: rounds.length,
      roundRatiosPct: rounds.map((round) => (ratioOf(round) * 100).toFixed(1)).join(' / '),
      roundSeconds: rounds.map((round) => round.extra?.seconds).join(' / '),
      roundFloorEventsPerSecond: rounds.map((round) => Math.round(round.floor!)).join(' / '),
      roundGrowthAfterTenthMb: rounds.map((round) => round.extra?.growthAfterTenthMb).join(' / '),
      memoryFlat: flat ? 'yes, every round' : 'no',
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
      // What `hru projections rebuild` uses: the embedded log over this many threads (parallel.ts plans the parts);
      // where that is more than one, also one thread, like for like with the floor's single reader.
      // HRU_BENCH_REBUILD_THREADS=1 measures (or profiles) the single thread alone.
      const threads = Number(process.env.HRU_BENCH_REBUILD_THREADS ?? defaultRebuildThreads());
      // Each rebuild in a process of its own (support/rebuild-measure.ts says why), each after a floor read of its own.
      const rounds = Array.from({ length: ROUNDS }, () => measureRebuildApart(dir, logFile, TOTAL_EVENTS, floorRead(logFile, TOTAL_EVENTS), threads));
      const results = [medianRound(rounds)];
      if (threads > 1) results.push(measureRebuildApart(dir, logFile, TOTAL_EVENTS, floorRead(logFile, TOTAL_EVENTS), 1));
      return results;
    } finally {
      cleanup();
    }
  },
};

export default scenario;
