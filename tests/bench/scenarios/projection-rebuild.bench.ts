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
 */
import { join } from 'node:path';
import { defaultRebuildThreads } from '@hru/projections';
import { tempDir } from '../../support/temp-dir.js';
import { nowMs, type BenchResult, type BenchScenario } from '../harness.js';
import { floorRead, measureRebuildApart } from '../support/rebuild-measure.js';
import { fillSealedLogApart } from '../support/sealed-log.js';

/** A whole number of 20-event lives. HRU_BENCH_REBUILD_EVENTS sets a shorter log for profiling (a multiple of 4,000). */
const TOTAL_EVENTS = Number(process.env.HRU_BENCH_REBUILD_EVENTS ?? 1_000_000);

const scenario: BenchScenario = {
  name: 'projection rebuild (all read models, embedded SQLite)',
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-rebuild-');
    try {
      const logFile = join(dir, 'events.sqlite');
      const fillStarted = nowMs();
      fillSealedLogApart(dir, logFile, TOTAL_EVENTS);
      process.stderr.write(`  wrote ${TOTAL_EVENTS} events in ${((nowMs() - fillStarted) / 1000).toFixed(1)} s\n`);
      const floor = floorRead(logFile, TOTAL_EVENTS);

      // What `hru projections rebuild` uses: the embedded log over this many threads (parallel.ts plans the parts);
      // where that is more than one, also one thread, like for like with the floor's single reader.
      // HRU_BENCH_REBUILD_THREADS=1 measures (or profiles) the single thread alone.
      const threads = Number(process.env.HRU_BENCH_REBUILD_THREADS ?? defaultRebuildThreads());
      // Each row in a process of its own (support/rebuild-measure.ts says why).
      const results = [measureRebuildApart(dir, logFile, TOTAL_EVENTS, floor, threads)];
      if (threads > 1) results.push(measureRebuildApart(dir, logFile, TOTAL_EVENTS, floor, 1));
      return results;
    } finally {
      cleanup();
    }
  },
};

export default scenario;
