/**
 * Issue 19: a single urgent intake on an idle engine, intake reply → webhook at the receiver (in the bench client's
 * own process), one at a time with half a second of nothing between them, the first one included (no warm-up: the
 * first alert after start is the one a quiet night sends). The engine is the real one (API, reactor and workers in
 * one process, as `hru start`) on a private redis-server. Floor, measured in the same run on the same Redis before
 * the engine starts: raw BullMQ, one Queue.add to the Worker's processor, spaced the same way.
 */
import { randomUUID } from 'node:crypto';
import { deliveryJobId } from '@hru/infra';
import { percentile, type BenchResult, type BenchScenario } from '../harness.js';
import { startBenchClient, type BenchClient } from '../support/client.js';
import { sourceHeaders, startBenchEngine } from '../support/bench-engine.js';
import { rawBullmqLatencies, withDeliveryQueue } from '../support/bullmq-floor.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis-server.js';

const PROBES = 40;
const INTERVAL_MS = 500;
const TARGET_P50_MS = 10;

/** Where each alert's time went, from BullMQ's own job timestamps (epoch ms) against the client's clock. */
async function segments(redisUrl: string, receiverUrl: string, probes: readonly { referralId: string; repliedAtEpoch: number; arrivedAtEpoch?: number }[]) {
  const parts = { toJobMs: [] as number[], pickupMs: [] as number[], webhookMs: [] as number[] };
  await withDeliveryQueue(redisUrl, async (queue) => {
    for (const probe of probes) {
      const job = await queue.getJob(deliveryJobId({ alertId: `${probe.referralId}.ua1`, kind: 'raised', level: 0, target: receiverUrl }));
      if (!job?.processedOn || probe.arrivedAtEpoch === undefined) continue;
      parts.toJobMs.push(job.timestamp - probe.repliedAtEpoch);
      parts.pickupMs.push(job.processedOn - job.timestamp);
      parts.webhookMs.push(probe.arrivedAtEpoch - job.processedOn);
    }
  });
  return Object.fromEntries(Object.entries(parts).map(([name, values]) => [`${name}P50`, +percentile(values, 50).toFixed(2)]));
}

const scenario: BenchScenario = {
  name: 'urgent alert latency on an idle engine',
  async run(): Promise<BenchResult[]> {
    let client: BenchClient | undefined;
    let redis: PrivateRedis | undefined;
    try {
      redis = await startPrivateRedis();
      client = await startBenchClient();
      const floor = await rawBullmqLatencies(redis.url, { probes: PROBES, warmup: 0, intervalMs: INTERVAL_MS, oneAtATime: true });
      const receiverUrl = await client.receiver();
      const engine = await startBenchEngine(receiverUrl, redis);
      const run = await client
        .alerts({
          url: `${engine.baseUrl}/v1/referrals`,
          headers: sourceHeaders,
          runId: randomUUID().slice(0, 8),
          backgroundPerSecond: 0,
          settleMs: INTERVAL_MS,
          warmupProbes: 0,
          probes: PROBES,
          probeIntervalMs: INTERVAL_MS,
          drainTimeoutMs: 10_000,
        })
        .finally(() => engine.stop());
      if (run.missing > 0) throw new Error(`${run.missing} of ${PROBES} urgent alerts never reached the webhook receiver`);
      const p = (q: number) => percentile(run.alertMs, q);
      const breakdown = await segments(redis.url, receiverUrl, run.probes);
      return [
        {
          scenario: `single urgent intake on an idle engine, reply → webhook (${PROBES}, ${INTERVAL_MS} ms apart, the first included)`,
          unit: 'ms p50',
          ours: p(50),
          floor: percentile(floor, 50),
          floorLabel: 'raw BullMQ Queue.add → Worker, idle',
          higherIsBetter: false,
          target: `p50 <= ${TARGET_P50_MS} ms`,
          met: p(50) <= TARGET_P50_MS,
          extra: {
            firstMs: +run.alertMs[0]!.toFixed(2),
            p90Ms: +p(90).toFixed(2),
            maxMs: +Math.max(...run.alertMs).toFixed(2),
            floorFirstMs: +floor[0]!.toFixed(2),
            floorP90Ms: +percentile(floor, 90).toFixed(2),
            intakeP50Ms: +percentile(run.intakeMs, 50).toFixed(2),
            // The first referral after start, send → 201: what it waits for before its alert can start (keys, the
            // statements' first preparation).
            firstIntakeMs: +run.intakeMs[0]!.toFixed(2),
            ...breakdown,
          },
        },
      ];
    } finally {
      await client?.stop();
      await redis?.stop();
    }
  },
};

export default scenario;
