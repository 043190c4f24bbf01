/** Producer side of the queues (alert deliveries and timers): adds jobs with deterministic ids; fails fast when Redis is away. */
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '../redis.js';
import { timerJobId, type Timer } from '@hru/application';
import { ALERT_DELIVERY_QUEUE, TIMER_QUEUE, deliveryJobId, finishedJobRetention, type AlertDeliveryJob } from './jobs.js';

export interface JobQueueSettings {
  /** Delivery attempts before a receiver is given up on (recorded as AlertDeliveryFailed). */
  deliveryAttempts: number;
}

/** Timer jobs per addBulk: 1,000 is about 10 ms of Redis work. */
const TIMER_BATCH = 1_000;

interface NewJob<T> {
  name: string;
  data: T;
  opts: JobsOptions;
}

/**
 * Adds the jobs, a lone job through `add`. The live path enqueues one job at a time (an urgent intake's delivery, then
 * its escalation timer, each in a batch of its own), and `addBulk` wraps even one job in a MULTI transaction: 180–186 µs
 * of this process's CPU a job against 66–122 µs through `add` (tests/bench/queue-add-cost.ts). Both run BullMQ's one
 * add-job script with the same id and options, so a repeat is a no-op either way (tests/foundation/job-queues.spec.ts);
 * a batch of several stays one round trip.
 */
async function addJobs<T>(queue: Queue<T>, jobs: readonly NewJob<T>[]): Promise<void> {
  if (jobs.length === 1) {
    const [job] = jobs as [NewJob<T>];
    // BullMQ's generics name the job name type apart from the data; the names here are plain strings.
    await (queue as Queue).add(job.name, job.data, job.opts);
  } else if (jobs.length > 1) {
    await (queue as Queue).addBulk(jobs as NewJob<unknown>[]);
  }
}

export class JobQueues {
  readonly connection: Redis;
  readonly delivery: Queue<AlertDeliveryJob>;
  readonly timers: Queue<Timer>;

  /**
   * 120 attempts with backoff capped at 60 s keep trying for about 1.5 hours: a receiver redeployed for a few
   * minutes still gets the page as soon as it is back, rather than the first page being the escalation.
   */
  constructor(redisUrl: string, private readonly settings: JobQueueSettings = { deliveryAttempts: 120 }) {
    this.connection = createRedis(redisUrl, 'producer');
    this.connection.on('error', () => undefined); // surfaced through failed adds and /readyz
    const connection = this.connection as unknown as ConnectionOptions;
    this.delivery = new Queue<AlertDeliveryJob>(ALERT_DELIVERY_QUEUE, { connection });
    this.timers = new Queue<Timer>(TIMER_QUEUE, { connection });
  }

  async addDeliveries(jobs: readonly AlertDeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await addJobs(
      this.delivery,
      jobs.map((data) => ({
        name: 'deliver',
        data,
        opts: {
          jobId: deliveryJobId(data),
          attempts: this.settings.deliveryAttempts,
          backoff: { type: 'jittered' },
          removeOnComplete: finishedJobRetention,
          removeOnFail: finishedJobRetention,
        },
      })),
    );
  }

  /**
   * Arms delayed jobs for timers, in pipelined batches: one round trip per batch, never per timer, and a batch
   * small enough that Redis serves other clients (a firing, an intake's alert) between two of them.
   */
  async addTimers(jobs: readonly Timer[], now = Date.now()): Promise<void> {
    for (let start = 0; start < jobs.length; start += TIMER_BATCH) {
      await addJobs(
        this.timers,
        jobs.slice(start, start + TIMER_BATCH).map((data) => ({
          name: data.type,
          data,
          opts: {
            jobId: timerJobId(data),
            delay: Math.max(0, Date.parse(data.dueAt) - now),
            attempts: 20,
            backoff: { type: 'exponential', delay: 500 },
            removeOnComplete: finishedJobRetention,
            removeOnFail: finishedJobRetention,
          },
        })),
      );
    }
  }

  /** Timer jobs waiting to fire or firing: fewer than the open timers means Redis lost some (re-arm them all). */
  async armedTimerCount(): Promise<number> {
    const counts = await this.timers.getJobCounts('delayed', 'waiting', 'active', 'prioritized', 'paused');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /**
   * For sweeps: a job kept in the failed list holds its id for a day, so adding it again does nothing. If its row
   * is still pending (or its timer open), it must still happen: retry it. One read of each failed list, then a
   * retry per job to revive (few), never a look-up per pending row or open timer.
   */
  async reviveFailed(stillWanted: { deliveries(jobIds: string[]): string[]; timers(jobIds: string[]): string[] }): Promise<number> {
    let revived = 0;
    for (const [queue, wanted] of [
      [this.delivery as Queue, stillWanted.deliveries],
      [this.timers as Queue, stillWanted.timers],
    ] as const) {
      const failed = await queue.getRanges(['failed'], 0, -1);
      if (failed.length === 0) continue;
      for (const id of wanted(failed)) {
        const job = await queue.getJob(id);
        if (job && (await job.getState()) === 'failed') {
          await job.retry('failed');
          revived++;
        }
      }
    }
    return revived;
  }

  async close(): Promise<void> {
    await Promise.all([this.delivery.close(), this.timers.close()]);
    this.connection.disconnect();
  }
}
