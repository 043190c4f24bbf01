/**
 * Fires durable timers of every kind by sending the command their kind declares back through the command path
 * (@hru/application's timer table). The machine ignores a timer that no longer applies (the alert was
 * acknowledged, the deadline met or moved), so a late or repeated firing is harmless; a domain rejection is final
 * (not retried), a concurrency conflict or an outage is retried. A job that comes up before its timer is due goes
 * back to the delayed set until then: firing it would record nothing, and completing it would lose the timer.
 */
import { fireTimer, type ReferralCommandHandler, type Timer } from '@hru/application';
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { isHruError } from '@hru/events';
import { TIMER_QUEUE, createRedis, type Logger } from '@hru/infra';
import { handBackOrphans, workerName } from './orphaned-jobs.js';

export interface TimerWorkerOptions {
  redisUrl: string;
  commands: ReferralCommandHandler;
  logger: Logger;
  now?: () => Date;
}

export function createTimerWorker(options: TimerWorkerOptions): Worker<Timer> {
  const connection = createRedis(options.redisUrl, 'worker');
  connection.on('error', () => undefined);
  const name = workerName('timer');
  const worker = new Worker<Timer>(TIMER_QUEUE, (job, token) => fire(job, token, options), {
    connection: connection as unknown as ConnectionOptions,
    concurrency: 10,
    // A timer must fire: a worker that crashes mid-job gives it back many times before BullMQ gives up.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 20,
    // Named, so that a worker starting after a crash can tell the jobs the dead one was running (orphaned-jobs.ts).
    name,
  });
  worker.on('error', (error) => options.logger.warn({ err: error.message }, 'timer worker error'));
  worker.on('ready', handBackOrphans(TIMER_QUEUE, connection as unknown as ConnectionOptions, name, options.logger));
  worker.on('closed', () => connection.disconnect());
  return worker;
}

async function fire(job: Job<Timer>, token: string | undefined, options: TimerWorkerOptions): Promise<{ events: string[] }> {
  const timer = job.data;
  const now = options.now?.() ?? new Date();
  const dueAt = Date.parse(timer.dueAt);
  // Early: this host's clock is behind the one that computed the delay, or the job was added with a stale delay.
  // Not an attempt (BullMQ skips counting it), and the job keeps its id, so a re-arm cannot add a second one.
  if (dueAt > now.getTime() && token !== undefined) {
    options.logger.debug({ timer: timer.type, early: dueAt - now.getTime() }, 'timer came up early: delayed until due');
    await job.moveToDelayed(dueAt, token);
    throw new DelayedError();
  }
  try {
    const result = await fireTimer(options.commands, timer, {
      causationId: job.id ?? randomUUID(),
      now: now.toISOString(),
    });
    const events = result.events.map((e) => e.type);
    options.logger.info({ timer: timer.type, referralId: timer.referralId, fired: events.length > 0 }, 'timer fired');
    return { events };
  } catch (error) {
    if (isHruError(error) && !error.retryable) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    throw error;
  }
}
