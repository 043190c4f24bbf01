/**
 * Turns what the alerts and timers read models record into queue jobs: after each batch those projections
 * commit, it enqueues the pending deliveries of the alerts the batch touched and the open timers of its
 * referrals; a sweep enqueues everything still pending on start, every few seconds, and whenever Redis comes
 * back (this Redis keeps nothing on disk). Job ids are deterministic, so a second reactor, a restart or a sweep
 * never duplicates a job, and Redis being down loses nothing: the rows stay pending until their outcome event.
 */
import type { RecordedEvent } from '@hru/application';
import type Database from 'better-sqlite3';
import type { JobQueues, Logger } from '@hru/infra';
import { ALERTS_PROJECTION, TIMERS_PROJECTION, openTimers, pendingDeliveries, type AppliedListener } from '@hru/projections';

export interface OutboxReactorOptions {
  readModels: Database.Database;
  queues: JobQueues;
  logger: Logger;
  sweepIntervalMs?: number;
}

export class OutboxReactor {
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly onRedisReady = () => void this.sweep('redis-ready');

  constructor(private readonly options: OutboxReactorOptions) {}

  start(): void {
    void this.sweep('start');
    this.sweepTimer = setInterval(() => void this.sweep('interval'), this.options.sweepIntervalMs ?? 5_000);
    this.sweepTimer.unref();
    this.options.queues.connection.on('ready', this.onRedisReady);
  }

  /** The projection runner's listener: enqueues the work of what a batch touched. A failure is left to the sweep. */
  readonly onApplied: AppliedListener = async (projection, events) => {
    if (this.stopped) return;
    const { queues, readModels, logger } = this.options;
    try {
      if (projection === ALERTS_PROJECTION) await queues.addDeliveries(pendingDeliveries(readModels, idsOf(events, 'alertId')));
      if (projection === TIMERS_PROJECTION) await queues.addTimers(openTimers(readModels, idsOf(events, 'referralId')));
    } catch (error) {
      logger.warn({ projection, err: (error as Error).message, events: events.length }, 'jobs not enqueued yet; the sweep will retry');
    }
  };

  /** Enqueues every pending delivery and open timer (deterministic ids make repeats harmless). */
  async sweep(why: string): Promise<{ deliveries: number; timers: number } | undefined> {
    const { queues, readModels, logger } = this.options;
    if (this.stopped) return undefined;
    try {
      const deliveries = pendingDeliveries(readModels);
      const timers = openTimers(readModels);
      await queues.addDeliveries(deliveries);
      await queues.addTimers(timers);
      const revived = await queues.reviveFailed(deliveries, timers);
      if (revived > 0) logger.warn({ why, revived }, 'sweep retried failed jobs whose work is still pending');
      if (why !== 'interval' || deliveries.length > 0) logger.debug({ why, deliveries: deliveries.length, timers: timers.length }, 'outbox sweep');
      return { deliveries: deliveries.length, timers: timers.length };
    } catch (error) {
      logger.warn({ why, err: (error as Error).message }, 'outbox sweep failed (Redis away?); will retry');
      return undefined;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.options.queues.connection.off('ready', this.onRedisReady);
  }
}

function idsOf(events: readonly RecordedEvent[], field: 'alertId' | 'referralId'): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = (event.data as Record<string, unknown>)[field];
    if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}
