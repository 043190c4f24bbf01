/**
 * The alert benches' shared Redis pieces: the raw BullMQ floor (Queue.add → the Worker's processor, the same
 * connection settings and concurrency as the engine's delivery worker) and a short-lived handle on the engine's
 * delivery queue, for reading back the jobs a run made.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { ALERT_DELIVERY_QUEUE, createRedis, type AlertDeliveryJob } from '@hru/infra';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FloorPacing {
  /** Samples kept (after the warm-up). */
  probes: number;
  /** Jobs sent first and not kept: they warm up the connections and BullMQ's scripts. */
  warmup: number;
  /** Pause after each add. */
  intervalMs: number;
  /**
   * true: each add waits for its job to be processed before the pause (an idle queue, one job at a time);
   * false: adds are paced regardless, and the run waits for the stragglers at the end.
   */
  oneAtATime: boolean;
}

/** Raw BullMQ latency samples in ms, job added → processor running, on a fresh queue of its own. */
export async function rawBullmqLatencies(redisUrl: string, pacing: FloorPacing): Promise<number[]> {
  const producer = createRedis(redisUrl, 'producer');
  const consumer = createRedis(redisUrl, 'worker');
  const name = `bench-floor-${randomUUID().slice(0, 8)}`;
  const queue = new Queue<{ t0: number }>(name, { connection: producer as unknown as ConnectionOptions });
  const samples: number[] = [];
  const worker = new Worker<{ t0: number }>(name, async (job) => void samples.push(performance.now() - job.data.t0), {
    connection: consumer as unknown as ConnectionOptions,
    concurrency: 20,
  });
  try {
    await worker.waitUntilReady();
    for (let i = 0; i < pacing.warmup + pacing.probes; i++) {
      if (i === pacing.warmup) samples.length = 0;
      const before = samples.length;
      await queue.add('job', { t0: performance.now() }, { removeOnComplete: true });
      if (pacing.oneAtATime) while (samples.length === before) await sleep(1);
      await sleep(pacing.intervalMs);
    }
    const deadline = Date.now() + 5_000;
    while (samples.length < pacing.probes && Date.now() < deadline) await sleep(10);
    if (samples.length < pacing.probes) throw new Error(`floor: ${samples.length} of ${pacing.probes} jobs processed`);
    return samples;
  } finally {
    await worker.close();
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
  }
}

/** Runs `read` against the engine's alert-delivery queue on its own connection, closed afterwards. */
export async function withDeliveryQueue<T>(redisUrl: string, read: (queue: Queue<AlertDeliveryJob>) => Promise<T>): Promise<T> {
  const connection = createRedis(redisUrl, 'producer');
  const queue = new Queue<AlertDeliveryJob>(ALERT_DELIVERY_QUEUE, { connection: connection as unknown as ConnectionOptions });
  try {
    return await read(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
