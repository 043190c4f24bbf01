/**
 * Issue 16: what the encryption costs an intake, counted to the end of its deferred work, which the intake bench's
 * 10-second window only partly sees (key bindings are written up to 2 s later, the pool refills in batches, the
 * projections catch up after the load). Drives intakes in process (`inject`, 50 in flight, the intake bench's
 * bodies) through the real engine sealed and unsealed (EngineOptions.sealPersonalData), alternated, and counts this
 * process's CPU from the first intake until the projections have caught up and the key log follower has bound every
 * key the log names.
 *
 *   node --expose-gc --conditions=@hru/source --import tsx tests/bench/encryption-cost.ts [intakes=1500] [rounds=4]
 *
 * Each round runs both sides, the order swapped every round, so a drift in the machine's load weighs on both. A first
 * round, both sides, is not counted: the first engine of the process pays for the JIT (it read 50% dearer).
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { sourceHeaders, startBenchEngine } from './support/bench-engine.js';
import { benchIntakeBody } from './support/intake-bodies.js';
import { startPrivateRedis } from '../support/redis-server.js';

const intakes = Number(process.argv[2] ?? 1_500);
const rounds = Number(process.argv[3] ?? 4);
const IN_FLIGHT = 50;
const WARM_UP = 300;

// The webhook receiver: urgent intakes raise alerts, whose deliveries are part of the work.
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200).end());
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const address = receiver.address();
if (!address || typeof address !== 'object') throw new Error('the receiver did not start');
const receiverUrl = `http://127.0.0.1:${address.port}/hook`;
const redis = await startPrivateRedis();

/** CPU per intake, µs, from the first intake to the end of its deferred work. */
async function measure(seal: boolean): Promise<number> {
  const bench = await startBenchEngine(receiverUrl, redis, { sealPersonalData: seal });
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
    await run('warm', WARM_UP);
    global.gc?.();
    const start = process.cpuUsage();
    await run('measured', intakes);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / intakes;
  } finally {
    await bench.stop();
  }
}

const sides: Record<'sealed' | 'unsealed', number[]> = { sealed: [], unsealed: [] };
try {
  for (const seal of [true, false]) await measure(seal);
  for (let round = 0; round < rounds; round++) {
    for (const seal of round % 2 === 0 ? [true, false] : [false, true]) {
      const load = loadavg()[0]!.toFixed(1);
      const us = await measure(seal);
      sides[seal ? 'sealed' : 'unsealed'].push(us);
      console.log(`${seal ? 'sealed  ' : 'unsealed'} ${us.toFixed(0)} µs CPU per intake (load ${load})`);
    }
  }
} finally {
  await redis.stop();
  receiver.close();
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sealed = mean(sides.sealed);
const unsealed = mean(sides.unsealed);
const ratios = sides.sealed.map((s, i) => (s / sides.unsealed[i]! - 1) * 100);
const median = [...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)]!;
console.log(
  `sealed ${sealed.toFixed(0)} µs, unsealed ${unsealed.toFixed(0)} µs per intake: the encryption adds ${(((sealed - unsealed) / unsealed) * 100).toFixed(1)}% ` +
    `(by round: ${ratios.map((r) => `${r.toFixed(1)}%`).join(', ')}; lower median ${median.toFixed(1)}%)`,
);
