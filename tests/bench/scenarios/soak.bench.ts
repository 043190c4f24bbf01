/**
 * Issue 20: the running engine's memory under a steady intake, on a data dir that already holds a large log (the
 * national year `hru demo --referrals 1000000` writes, with `HRU_SOAK_DATA_DIR`) or on a fresh one. The whole engine
 * (API, projector, workers) runs in this process on a private Redis; a client in its own process sends 50 intakes/s
 * (one in five urgent, each alert delivered to a local receiver) for `HRU_SOAK_MINUTES` (default 2; the issue's
 * figure is 60). RSS and heap are sampled each minute after a forced GC; the result is the growth per hour from a
 * least-squares line through the samples after the first minute (start-up and JIT warm-up), so "flat" reads as a
 * slope, not as one noisy end point.
 */
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '@hru/infra';
import { startEngine } from '../../../services/cli/src/engine.js';
import { startPrivateRedis } from '../../support/redis-server.js';
import { JWT_SECRET, SOURCE_KEYS } from '../../support/test-app.js';
import { intakeBody } from '../../support/intake-body.js';
import { tempDir } from '../../support/temp-dir.js';
import { startBenchClient } from '../support/client.js';
import { nowMs, round, type BenchResult, type BenchScenario } from '../harness.js';

const MINUTES = Number(process.env.HRU_SOAK_MINUTES ?? 2);
const DATA_DIR = process.env.HRU_SOAK_DATA_DIR;
const PER_SECOND = 50;
const MB = 1024 * 1024;

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const scenario: BenchScenario = {
  name: `soak (${PER_SECOND} intakes/s for ${MINUTES} min)`,
  async run(): Promise<BenchResult[]> {
    const { dir, cleanup } = tempDir('hru-bench-soak-');
    const redis = await startPrivateRedis();
    const client = await startBenchClient();
    try {
      const receiver = await client.receiver();
      const config = loadConfig({
        HRU_DATA_DIR: DATA_DIR ?? join(dir, 'data'),
        REDIS_URL: redis.url,
        PORT: '0',
        HRU_JWT_SECRET: JWT_SECRET,
        HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}`,
        HRU_ALERT_WEBHOOK_URL: receiver,
        HRU_ALERT_WEBHOOK_SECRET: 'webhook-secret-0123456789',
        HRU_RATE_LIMIT_PER_MINUTE: '10000000',
        LOG_LEVEL: 'info',
      });
      const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
      const engine = await startEngine(config, logger, { api: true, projector: true, worker: true });
      const base = `http://127.0.0.1:${(engine.app!.server.address() as { port: number }).port}`;
      for (;;) {
        if ((await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const samples: { minute: number; rssMB: number; heapMB: number }[] = [];
      const sample = (minute: number) => {
        global.gc?.();
        const m = process.memoryUsage();
        samples.push({ minute, rssMB: m.rss / MB, heapMB: m.heapUsed / MB });
        process.stderr.write(`  minute ${minute}: rss ${Math.round(m.rss / MB)} MB, heap ${Math.round(m.heapUsed / MB)} MB\n`);
      };
      sample(0);
      const started = nowMs();
      let sent = 0;
      let failed = 0;
      const run = `soak-${Date.now()}`;
      let nextMinute = 1;
      while (nowMs() - started < MINUTES * 60_000) {
        const tick = nowMs();
        await Promise.all(
          Array.from({ length: PER_SECOND / 10 }, () => {
            const n = sent++;
            const body = intakeBody(n % 5 === 0 ? { indicators: ['threats_to_kill'] } : {}, `SOAK/${run}/${n}`);
            return fetch(`${base}/v1/referrals`, { method: 'POST', headers: { authorization: `ApiKey ${SOURCE_KEYS.niche}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
              .then((r) => (r.status === 201 ? r.text() : ((failed += 1), r.text())))
              .catch(() => (failed += 1));
          }),
        );
        if (nowMs() - started >= nextMinute * 60_000) sample(nextMinute++);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (nowMs() - tick))));
      }
      sample(nextMinute);
      await engine.stop();
      const settled = samples.filter((s) => s.minute >= 1);
      const rssPerHour = slope(settled.map((s) => ({ x: s.minute / 60, y: s.rssMB })));
      const heapPerHour = slope(settled.map((s) => ({ x: s.minute / 60, y: s.heapMB })));
      // SQLite's page caches fill as the files grow for the first minutes of a long run (an hour's run on a fresh
      // data dir: 249 → ~350 MB in ten minutes, then no trend), so a long run also reports the line after a warm-up
      // of a sixth of the run (10 minutes of an hour) and the spread the samples keep around it.
      const warmMinutes = Math.max(1, Math.floor(MINUTES / 6));
      const warm = samples.filter((s) => s.minute >= warmMinutes);
      const warmRss = warm.map((s) => s.rssMB).sort((a, b) => a - b);
      return [
        {
          scenario: `engine memory growth at ${PER_SECOND} intakes/s over ${MINUTES} min${DATA_DIR ? ' on the given log' : ''}`,
          unit: 'MB/hour (RSS)',
          ours: rssPerHour,
          higherIsBetter: false,
          target: 'flat (report)',
          extra: {
            intakes: sent,
            failed,
            heapMBPerHour: round(heapPerHour, 1),
            rssStartMB: Math.round(samples[0]!.rssMB),
            rssAfterMinuteOneMB: Math.round(settled[0]?.rssMB ?? 0),
            rssEndMB: Math.round(samples.at(-1)!.rssMB),
            [`rssMBPerHourAfterMinute${warmMinutes}`]: round(slope(warm.map((s) => ({ x: s.minute / 60, y: s.rssMB }))), 1),
            [`rssMBAfterMinute${warmMinutes}`]: `${Math.round(warmRss[0] ?? 0)}–${Math.round(warmRss.at(-1) ?? 0)}, median ${Math.round(warmRss[warmRss.length >> 1] ?? 0)}`,
            heapEndMB: Math.round(samples.at(-1)!.heapMB),
          },
        },
      ];
    } finally {
      await client.stop();
      await redis.stop();
      cleanup();
    }
  },
};

export default scenario;
