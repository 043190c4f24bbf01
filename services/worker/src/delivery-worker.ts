/**
 * Delivers alert webhooks. Each outcome is an event with a deterministic id, so a delivery repeated after a
 * crash (at-least-once) is recorded once; the last failed attempt is recorded as AlertDeliveryFailed, which
 * the alert list shows.
 *
 * The worker reaches the event store only through `record` (record-outcome.ts writes to a store in this thread): the
 * engine runs it on a thread of its own (delivery-thread.ts), whose outcomes are written by the engine's thread. So
 * this module loads neither the application nor the whole of infra, and the thread starts sooner.
 */
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { AlertDelivered, AlertDeliveryFailed } from '@hru/events';
import { ALERT_DELIVERY_QUEUE, createRedis, jitteredBackoff, type AlertDeliveryJob } from '@hru/infra/delivery';
import { handBackOrphans, workerName, type WorkerLog } from './orphaned-jobs.js';
import { postWebhook, reasonCategory, referralLink } from './webhook.js';

/** A delivery's outcome, for the log: plain data, so that it can cross from a worker thread. */
export interface DeliveryOutcome {
  type: typeof AlertDelivered.type | typeof AlertDeliveryFailed.type;
  job: AlertDeliveryJob;
  jobId: string | undefined;
  attempt: number;
  /** `httpStatus` for a delivery, `error` for the last failed attempt. */
  detail: { httpStatus: number } | { error: string };
}

/** Writes an outcome to the log; resolves once it is written (the job completes only then). */
export type RecordOutcome = (outcome: DeliveryOutcome) => Promise<void>;

export interface DeliveryWorkerOptions {
  redisUrl: string;
  record: RecordOutcome;
  logger: WorkerLog;
  secret: string | undefined;
  /** Escalation tiers by level: the body names the tier the alert is now addressed to. */
  tiers: readonly string[];
  /** The engine's public base URL (HRU_PUBLIC_URL): the webhook body links to the referral under it. */
  publicUrl: string;
  concurrency?: number;
  timeoutMs?: number;
}

export function createDeliveryWorker(options: DeliveryWorkerOptions): Worker<AlertDeliveryJob> {
  const connection = createRedis(options.redisUrl, 'worker');
  connection.on('error', () => undefined);
  const name = workerName('delivery');
  const worker = new Worker<AlertDeliveryJob>(ALERT_DELIVERY_QUEUE, (job) => deliver(job, options), {
    connection: connection as unknown as ConnectionOptions,
    concurrency: options.concurrency ?? 20,
    settings: { backoffStrategy: (attemptsMade: number) => jitteredBackoff(attemptsMade) },
    // A worker killed mid-delivery leaves its job locked. A worker that starts or reconnects hands such jobs back at
    // once (orphaned-jobs.ts); otherwise the lock (renewed every 5 s while alive) lapses after 10 s and the stalled
    // check (every 5 s) hands the job to another worker: recovery within ~15 s.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 20,
    // Named, so that a worker starting after a crash can tell the jobs the dead one was running (orphaned-jobs.ts).
    name,
  });
  worker.on('error', (error) => options.logger.warn({ err: error.message }, 'delivery worker error'));
  worker.on('ready', handBackOrphans(ALERT_DELIVERY_QUEUE, connection as unknown as ConnectionOptions, name, options.logger));
  worker.on('closed', () => connection.disconnect());
  return worker;
}

async function deliver(job: Job<AlertDeliveryJob>, options: DeliveryWorkerOptions): Promise<{ status: number } | { failed: string }> {
  const { alertId, referralId, kind, level, raisedBy, rules, raisedAt, target } = job.data;
  // A job queued before alerts were addressed: those were all the supervisors'.
  const addressedTo = job.data.addressedTo ?? 'supervisor';
  const attempt = job.attemptsMade + 1;
  const record = (type: DeliveryOutcome['type'], detail: DeliveryOutcome['detail']) => options.record({ type, job: job.data, jobId: job.id, attempt, detail });
  try {
    const tier = options.tiers[Math.min(level, options.tiers.length - 1)] ?? `level_${level}`;
    const reason = reasonCategory(raisedBy, rules);
    const link = referralLink(options.publicUrl, referralId);
    const status = await postWebhook(target, { alertId, referralId, kind, level, tier, addressedTo, reason, raisedAt, link }, {
      secret: options.secret,
      deliveryId: job.id ?? alertId,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    await record('AlertDelivered', { httpStatus: status });
    options.logger.info({ alertId, kind, level, attempt }, 'alert delivered');
    return { status };
  } catch (error) {
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    options.logger.warn({ alertId, kind, level, attempt, lastAttempt, err: (error as Error).message }, 'alert delivery failed');
    if (!lastAttempt) throw error;
    await record('AlertDeliveryFailed', { error: (error as Error).message.slice(0, 500) });
    return { failed: (error as Error).message };
  }
}
