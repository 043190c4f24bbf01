/**
 * Issue 5: urgent-alert latency, from the moment the intake reply is complete to the moment the webhook
 * arrives at the receiver (both read on the client process's clock), p50/p95/p99 over 250 urgent intakes
 * spaced 40 ms apart, under a paced background of 100 non-urgent intakes/s, with escalations firing: nobody
 * acknowledges, and the acknowledgement SLA is 2 s (`HRU_BENCH_ALERT_ACK_SLA`), so each probe's alert escalates twice
 * during the run (a timer firing, a command, its events and projections, a second delivery). The engine is the real one (API,
 * reactor and workers in one process, as `hru start`) on a private redis-server. The floor, measured in the
 * same run on the same Redis before the engine starts: raw BullMQ, Queue.add to the Worker's processor,
 * spaced the same way.
 *
 * Beside the end-to-end figure, where the time goes, per probe: the reply → the delivery job's creation
 * (reactor wake-up, read, alert-model commit), job creation → the worker starting it (Redis round trip and
 * BullMQ pickup), worker start → arrival (signing and the webhook POST). These come from BullMQ's own job
 * timestamps (epoch ms) against the client's clock, so they are good to about a millisecond. The alert-model
 * commit and the enqueue call are also timed directly by wrapping them for the run, and the event-loop delay
 * of the engine's process is sampled: API, projections, reactor and worker share that one loop, and
 * synchronous SQLite commits block it.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { JobQueues, deliveryJobId } from '@hru/infra';
import { ALERTS_PROJECTION, LiveProjection } from '@hru/projections';
import { percentile, type BenchResult, type BenchScenario } from '../harness.js';
import { startBenchClient, type BenchClient } from '../support/client.js';
import { sourceHeaders, startBenchEngine } from '../support/bench-engine.js';
import { rawBullmqLatencies, withDeliveryQueue } from '../support/bullmq-floor.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis-server.js';

/** Issue 19's condition is 100 non-urgent intakes/s (`HRU_BENCH_ALERT_BACKGROUND`, e.g. 200 for a harder run). */
const BACKGROUND_PER_SECOND = Number(process.env.HRU_BENCH_ALERT_BACKGROUND ?? 100);
const PROBES = 250;
const PROBE_INTERVAL_MS = 40;
const TARGET_P99_MS = 25;
/** Short, so that the probes' alerts escalate (to the last tier) while later probes are still being sent. */
const ACK_SLA = process.env.HRU_BENCH_ALERT_ACK_SLA ?? '2s';


/** Times every call of a method (on the objects `only` picks) for the duration of the run (measurement only; restored afterwards). */
function timeCalls<T extends object>(proto: T, method: keyof T & string, into: number[], only: (self: T) => boolean = () => true): () => void {
  const original = proto[method] as unknown as (...args: unknown[]) => unknown;
  (proto as Record<string, unknown>)[method] = function (this: T, ...args: unknown[]) {
    if (!only(this)) return original.apply(this, args);
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.finally(() => into.push(performance.now() - t0));
    into.push(performance.now() - t0);
    return result;
  };
  return () => void ((proto as Record<string, unknown>)[method] = original);
}

const ms = (n: number) => +n.toFixed(2);

const deliveryJobs = (redisUrl: string, ids: string[]) => withDeliveryQueue(redisUrl, (queue) => Promise.all(ids.map((id) => queue.getJob(id))));

/** Escalation deliveries (level 1 and up) the run made: proof the escalations fired beside the probes. */
const escalationDeliveries = (redisUrl: string) =>
  withDeliveryQueue(redisUrl, async (queue) => {
    const jobs = await queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'], 0, -1);
    return jobs.filter((job) => job && job.data.level > 0).length;
  });

const scenario: BenchScenario = {
  name: 'urgent alert latency (intake reply → webhook)',
  async run(): Promise<BenchResult[]> {
    let client: BenchClient | undefined;
    let redis: PrivateRedis | undefined;
    const restore: (() => void)[] = [];
    try {
      redis = await startPrivateRedis();
      client = await startBenchClient();
      const floor = await rawBullmqLatencies(redis.url, { probes: PROBES, warmup: 20, intervalMs: PROBE_INTERVAL_MS / 2, oneAtATime: false });

      const receiverUrl = await client.receiver();
      const commitMs: number[] = [];
      const enqueueMs: number[] = [];
      restore.push(
        timeCalls(LiveProjection.prototype, 'commitBatch', commitMs, (live) => live.projection.name === ALERTS_PROJECTION),
        // In a group's transaction, the alerts' batch is applied through this one (commitBatch only when it is written again).
        timeCalls(LiveProjection.prototype, 'applyInGroupTransaction', commitMs, (live) => live.projection.name === ALERTS_PROJECTION),
        timeCalls(JobQueues.prototype, 'addDeliveries', enqueueMs),
      );
      const engine = await startBenchEngine(receiverUrl, redis, { env: { HRU_ALERT_ACK_SLA: ACK_SLA } });
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      loopDelay.enable();
      const run = await client
        .alerts({
          url: `${engine.baseUrl}/v1/referrals`,
          headers: sourceHeaders,
          runId: randomUUID().slice(0, 8),
          backgroundPerSecond: BACKGROUND_PER_SECOND,
          settleMs: 1_000,
          warmupProbes: 20,
          probes: PROBES,
          probeIntervalMs: PROBE_INTERVAL_MS,
          drainTimeoutMs: 10_000,
        })
        .finally(() => {
          loopDelay.disable();
          return engine.stop();
        });

      if (run.missing > 0) throw new Error(`${run.missing} of ${PROBES} urgent alerts never reached the webhook receiver`);
      const bgErrors = Object.entries(run.background.statuses).filter(([s]) => s !== '201');
      if (bgErrors.length > 0) throw new Error(`background intakes answered other than 201: ${JSON.stringify(run.background.statuses)}`);

      const jobs = await deliveryJobs(
        redis.url,
        run.probes.map((probe) => deliveryJobId({ alertId: `${probe.referralId}.ua1`, kind: 'raised', level: 0, target: receiverUrl })),
      );
      const escalations = await escalationDeliveries(redis.url);
      const segments = { reactor: [] as number[], pickup: [] as number[], webhook: [] as number[] };
      run.probes.forEach((probe, i) => {
        const job = jobs[i];
        if (!job?.processedOn || probe.arrivedAtEpoch === undefined) return;
        segments.reactor.push(job.timestamp - probe.repliedAtEpoch);
        segments.pickup.push(job.processedOn - job.timestamp);
        segments.webhook.push(probe.arrivedAtEpoch - job.processedOn);
      });
      const breakdown = Object.fromEntries(
        Object.entries({ ...segments, alertModelCommit: commitMs, enqueueCall: enqueueMs }).flatMap(([name, values]) => [
          [`${name}P50ms`, ms(percentile(values, 50))],
          [`${name}P99ms`, ms(percentile(values, 99))],
        ]),
      );

      const p = (q: number) => percentile(run.alertMs, q);
      const f = (q: number) => percentile(floor, q);
      return [
        {
          scenario: `alert latency p99, intake reply → webhook, under ${BACKGROUND_PER_SECOND} intakes/s and escalations firing`,
          unit: 'ms p99',
          ours: p(99),
          floor: f(99),
          floorLabel: 'raw BullMQ Queue.add → Worker',
          higherIsBetter: false,
          target: `p99 <= ${TARGET_P99_MS} ms`,
          met: p(99) <= TARGET_P99_MS,
          extra: {
            samples: run.alertMs.length,
            ackSla: ACK_SLA,
            escalationsDelivered: escalations,
            oursP50ms: +p(50).toFixed(2),
            oursP95ms: +p(95).toFixed(2),
            oursP99ms: +p(99).toFixed(2),
            oursMaxMs: +Math.max(...run.alertMs).toFixed(2),
            floorP50ms: +f(50).toFixed(2),
            floorP95ms: +f(95).toFixed(2),
            floorP99ms: +f(99).toFixed(2),
            urgentIntakeP99ms: +percentile(run.intakeMs, 99).toFixed(2),
            backgroundPerSecond: +run.background.perSecond.toFixed(1),
            backgroundSkipped: run.background.skipped,
            backgroundIntakeP99ms: +percentile(run.background.latencies, 99).toFixed(2),
            ...breakdown,
            eventLoopDelayP50ms: ms(loopDelay.percentile(50) / 1e6),
            eventLoopDelayP99ms: ms(loopDelay.percentile(99) / 1e6),
            eventLoopDelayMaxMs: ms(loopDelay.max / 1e6),
          },
        },
      ];
    } finally {
      for (const r of restore) r();
      await client?.stop();
      await redis?.stop();
    }
  },
};

export default scenario;
