/**
 * Issue 19: urgent alerts after a crash. The whole engine (`hru start`, a real process) takes 30 urgent intakes
 * (each answered 201) while the webhook receiver hangs, so none is delivered: 20 deliveries are in flight (the
 * delivery worker's concurrency) and the rest wait in Redis. The engine is killed with SIGKILL, the receiver starts
 * answering, and the engine is started again on the same data dir and Redis. Reported: the time from the restarted
 * engine's first `/readyz` 200 to the arrival of each alert's webhook (every one of the 30 must arrive), against the
 * target of 1 s for the last; beside it, the start-up time to `/readyz`. No floor: the comparison is the mechanism it
 * replaces, BullMQ's own recovery of a dead worker's jobs (the lock lapses after 10 s, then a stalled check every 5 s:
 * 10–15 s), which the run also counts by reading the engine's log for the jobs it handed back at start.
 */
import { performance } from 'node:perf_hooks';
import type { BenchResult, BenchScenario } from '../harness.js';
import { percentile } from '../harness.js';
import { startPrivateRedis, freePort, type PrivateRedis } from '../../support/redis-server.js';
import { engineProcessEnv, spawnHru } from '../../support/spawn-hru.js';
import { finished } from '../../support/spawn-ts.js';
import { SOURCE_KEYS, intakeBody } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const URGENT = 30;
const TARGET_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `hru start` as a child process; resolves with it once `/readyz` answers 200, and the moment it did. */
async function startEngineProcess(env: Record<string, string>, base: string) {
  const child = spawnHru(['start'], env);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = finished(child);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`hru start exited before it was ready: ${(await exited).stderr.slice(-2_000)}`);
    const status = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return { child, exited, readyAt: performance.now(), output: () => out };
    await sleep(5);
  }
}

const scenario: BenchScenario = {
  name: 'urgent alerts after kill -9 of the engine',
  async run(): Promise<BenchResult[]> {
    let redis: PrivateRedis | undefined;
    let receiver: WebhookReceiver | undefined;
    const dir = tempDir('hru-bench-alert-restart-');
    try {
      redis = await startPrivateRedis();
      receiver = await startWebhookReceiver();
      receiver.respond = () => 'hang';
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = { ...engineProcessEnv(dir.dir, redis.url, port), HRU_ALERT_WEBHOOK_URL: receiver.url, HRU_ALERT_WEBHOOK_SECRET: 'webhook-secret-0123456789', LOG_LEVEL: 'warn' };

      const first = await startEngineProcess(env, base);
      const referralIds: string[] = [];
      for (let i = 0; i < URGENT; i++) {
        const response = await fetch(`${base}/v1/referrals`, {
          method: 'POST',
          headers: { authorization: `ApiKey ${SOURCE_KEYS.niche}`, 'content-type': 'application/json' },
          body: JSON.stringify(intakeBody({ indicators: ['threats_to_kill'] })),
        });
        if (response.status !== 201) throw new Error(`urgent intake answered ${response.status}`);
        referralIds.push(((await response.json()) as { referralId: string }).referralId);
      }
      // Every delivery the worker can hold is in flight and unanswered; the others wait in Redis.
      await receiver.waitFor((r) => r.length >= 20, 60_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const inFlightAtKill = receiver.received.length;

      const arrivals = new Map<string, number>();
      receiver.respond = (request) => {
        if (!arrivals.has(request.body.referralId)) arrivals.set(request.body.referralId, performance.now());
        return 204;
      };
      const spawnedAt = performance.now();
      const second = await startEngineProcess(env, base);
      try {
        while (referralIds.some((id) => !arrivals.has(id))) {
          if (performance.now() - second.readyAt > 60_000) throw new Error(`${referralIds.filter((id) => !arrivals.has(id)).length} of ${URGENT} alerts had not arrived 60 s after restart`);
          await sleep(5);
        }
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      const afterReady = referralIds.map((id) => arrivals.get(id)! - second.readyAt);
      const handedBack = second
        .output()
        .split('\n')
        .filter((line) => line.includes('put back jobs that a worker which is gone was running'))
        .reduce((n, line) => n + (JSON.parse(line) as { released: number }).released, 0);
      const last = Math.max(...afterReady);
      return [
        {
          scenario: `every urgent webhook after kill -9 of the engine (${URGENT} acknowledged, none delivered): last arrival after /readyz`,
          unit: 'ms',
          ours: last,
          higherIsBetter: false,
          target: `<= ${TARGET_MS} ms`,
          met: last <= TARGET_MS,
          extra: {
            alerts: URGENT,
            inFlightAtKill,
            jobsHandedBackAtStart: handedBack,
            arrivalAfterReadyP50ms: +percentile(afterReady, 50).toFixed(1),
            arrivalAfterReadyMaxMs: +last.toFixed(1),
            earliestBeforeReadyMs: +Math.max(0, -Math.min(...afterReady)).toFixed(1),
            restartToReadyMs: +(second.readyAt - spawnedAt).toFixed(0),
          },
        },
      ];
    } finally {
      await receiver?.close();
      await redis?.stop();
      dir.cleanup();
    }
  },
};

export default scenario;
