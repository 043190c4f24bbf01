/**
 * Intakes driven in process through the real engine (`inject`, 50 in flight, the intake bench's bodies), with the CPU
 * of this process (every thread) counted from the first measured intake to the end of its deferred work: the
 * projections caught up and the key log follower past every key the log names. The intake bench's 10-second window
 * sees only part of that work (key bindings are written up to 2 s later, the projections catch up after the load);
 * this sees all of it. Shared by encryption-cost.ts and intake-parts.ts.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sourceHeaders, startBenchEngine, type BenchEngineOptions } from './bench-engine.js';
import { benchIntakeBody } from './intake-bodies.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis-server.js';

const IN_FLIGHT = 50;
/** Intakes each engine takes before its measured ones (JIT, caches, the key pool's first batch). */
export const WARM_UP_INTAKES = 300;

export interface InProcessIntakes {
  /**
   * CPU per measured intake, µs, of an engine started with `options`, after a warm-up of its own; and how many cases
   * its caseload read model held at the end (0 without the table), which tells whether the read models ran.
   */
  measure(intakes: number, options: Pick<BenchEngineOptions, 'sealPersonalData' | 'liveProjections'>): Promise<{ cpuUs: number; casesInReadModels: number }>;
  close(): Promise<void>;
}

/** A webhook receiver (urgent intakes raise alerts, whose deliveries are part of the work) and a private Redis. */
export async function inProcessIntakes(): Promise<InProcessIntakes> {
  const receiver: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  if (!address || typeof address !== 'object') throw new Error('the receiver did not start');
  const receiverUrl = `http://127.0.0.1:${address.port}/hook`;
  const redis: PrivateRedis = await startPrivateRedis();

  return {
    async measure(intakes, options) {
      const bench = await startBenchEngine(receiverUrl, redis, options);
      try {
        const { app, projector, store } = bench.engine;
        const runId = randomUUID().slice(0, 8);
        const run = async (tag: string, count: number) => {
          let next = 0;
          const worker = async () => {
            while (next < count) {
              const reply = await app!.inject({ method: 'POST', url: '/v1/referrals', headers: sourceHeaders, payload: benchIntakeBody(`${runId}-${tag}`, next++, 'mixed') });
              if (reply.statusCode !== 201) throw new Error(`intake answered ${reply.statusCode}: ${reply.body.slice(0, 300)}`);
            }
          };
          await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
          await projector!.runner.waitUntilCaughtUp(300_000);
          await projector!.openedRunner?.waitUntilCaughtUp(300_000);
          await store.follower.catchUp();
        };
        await run('warm', WARM_UP_INTAKES);
        global.gc?.();
        const start = process.cpuUsage();
        await run('measured', intakes);
        const used = process.cpuUsage(start);
        const readModels = bench.engine.readModels!;
        const hasCaseload = readModels.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'caseload_cases'").get() !== undefined;
        const casesInReadModels = hasCaseload ? (readModels.prepare('SELECT count(*) AS n FROM caseload_cases').get() as { n: number }).n : 0;
        return { cpuUs: (used.user + used.system) / intakes, casesInReadModels };
      } finally {
        await bench.stop();
      }
    },
    async close() {
      await redis.stop();
      receiver.close();
    },
  };
}
