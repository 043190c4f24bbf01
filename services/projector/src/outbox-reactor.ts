/**
 * Turns what the alerts and timers read models record into queue jobs: after each batch those projections
 * commit, it enqueues the pending deliveries of the alerts the batch touched and the open timers of its
 * referrals. A sweep re-arms everything still pending on start and whenever Redis comes back (this Redis keeps
 * nothing on disk); every few seconds a cheaper sweep enqueues pending deliveries, revives failed jobs whose work
 * is still pending, and re-arms every open timer only when Redis holds fewer timer jobs than there are open timers
 * (or an enqueue failed since the last one): with 100,000 deadlines armed, re-adding them all every 5 s would keep
 * Redis busy for nothing. Job ids are deterministic, so a second reactor, a restart or a sweep never duplicates a
 * job, and Redis being down loses nothing: the rows stay pending until their outcome event.
 */
import type { RecordedEvent } from '@hru/application';
import type Database from 'better-sqlite3';
import { deliveryJobId, type JobQueues, type Logger } from '@hru/infra';
import {
  ALERTS_PROJECTION,
  TIMERS_PROJECTION,
  openTimerCount,
  openTimers,
  openTimersByJobId,
  openTimersPage,
  pendingDeliveries,
  type AppliedListener,
  type TimerCursor,
} from '@hru/projections';
import { timerJobId } from '@hru/application';

export interface OutboxReactorOptions {
  readModels: Database.Database;
  queues: JobQueues;
  logger: Logger;
  sweepIntervalMs?: number;
}

export interface SweepResult {
  deliveries: number;
  /** Timers re-armed (0 when the interval sweep found Redis holding them all). */
  timers: number;
  revived: number;
}

/** Open timers read and armed per page of a full re-arm. */
const REARM_PAGE = 5_000;

export class OutboxReactor {
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** An enqueue failed since the last full re-arm: the next interval sweep re-arms every open timer. */
  private timersDirty = false;
  private sweeping: Promise<SweepResult | undefined> | undefined;
  private sweepsInFlight = 0;
  /** When the count check last found jobs missing: that re-arm runs at most once a minute. */
  private lastCountRearm = 0;
  /** Whether the producer connection's first `ready` is still to come (the start sweep covers that one). */
  private firstReadyPending = false;
  private readonly onRedisReady = () => {
    if (this.firstReadyPending) {
      this.firstReadyPending = false;
      return;
    }
    void this.sweep('redis-ready');
  };

  constructor(private readonly options: OutboxReactorOptions) {}

  start(): void {
    this.firstReadyPending = this.options.queues.connection.status !== 'ready';
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
      if (projection === TIMERS_PROJECTION) this.timersDirty = true;
      logger.warn({ projection, err: (error as Error).message, events: events.length }, 'jobs not enqueued yet; the sweep will retry');
    }
  };

  /**
   * Enqueues every pending delivery and (but on a quiet interval) re-arms every open timer; deterministic ids make
   * repeats harmless. One sweep at a time: a `ready` during the start sweep waits for it, then runs its own.
   */
  async sweep(why: string): Promise<SweepResult | undefined> {
    // An interval sweep while another is still running (a long re-arm) would only queue up behind it.
    if (why === 'interval' && this.sweepsInFlight > 0) return undefined;
    const previous = this.sweeping;
    this.sweepsInFlight++;
    const run = (async () => {
      await previous?.catch(() => undefined);
      try {
        return await this.sweepOnce(why);
      } finally {
        this.sweepsInFlight--;
      }
    })();
    this.sweeping = run;
    return run;
  }

  /**
   * Whether this sweep re-arms every open timer: always on start and when Redis comes back; on an interval only
   * after a failed enqueue, or when Redis holds fewer timer jobs than there are open timers (checked with one
   * count, and acted on at most once a minute: a timer whose firing recorded nothing keeps that count short).
   */
  private async rearmsTimers(why: string): Promise<boolean> {
    if (why !== 'interval' || this.timersDirty) return true;
    const { queues, readModels } = this.options;
    if (Date.now() - this.lastCountRearm < 60_000) return false;
    if ((await queues.armedTimerCount()) >= openTimerCount(readModels)) return false;
    this.lastCountRearm = Date.now();
    return true;
  }

  private async sweepOnce(why: string): Promise<SweepResult | undefined> {
    const { queues, readModels, logger } = this.options;
    if (this.stopped) return undefined;
    try {
      const deliveries = pendingDeliveries(readModels);
      await queues.addDeliveries(deliveries);
      let timers = 0;
      if (await this.rearmsTimers(why)) {
        this.timersDirty = false;
        const started = Date.now();
        timers = await this.rearmTimers();
        if (timers > 0) logger.info({ why, timers, ms: Date.now() - started }, 'open timers re-armed');
      }
      const pending = new Set(deliveries.map(deliveryJobId));
      const revived = await queues.reviveFailed({
        deliveries: (ids) => ids.filter((id) => pending.has(id)),
        timers: (ids) => openTimersByJobId(readModels, ids).map(timerJobId),
      });
      if (revived > 0) logger.warn({ why, revived }, 'sweep retried failed jobs whose work is still pending');
      if (why !== 'interval' || deliveries.length > 0) logger.debug({ why, deliveries: deliveries.length, timers }, 'outbox sweep');
      return { deliveries: deliveries.length, timers, revived };
    } catch (error) {
      this.timersDirty = true;
      logger.warn({ why, err: (error as Error).message }, 'outbox sweep failed (Redis away?); will retry');
      return undefined;
    }
  }

  /** Arms a job for every open timer, soonest first, a page at a time (memory stays flat at any count). */
  private async rearmTimers(): Promise<number> {
    const { queues, readModels } = this.options;
    let after: TimerCursor | null = null;
    let armed = 0;
    do {
      if (this.stopped) break;
      const page = openTimersPage(readModels, after, REARM_PAGE);
      await queues.addTimers(page.timers);
      armed += page.timers.length;
      after = page.next;
    } while (after);
    return armed;
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
