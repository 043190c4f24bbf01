/**
 * The reactor of urgent alerts: a checkpointed subscription that keeps the alert model (and its outbox of
 * deliveries and timers) up to date, then enqueues the jobs those rows call for. A sweep enqueues everything
 * still pending on start, every few seconds, and whenever Redis comes back; job ids are deterministic, so a
 * second reactor, a restart or a sweep never duplicates an alert, and Redis being down never loses one.
 */
import type { EventStore, Subscription } from '@hru/application';
import type { AlertQueues, Logger } from '@hru/infra';
import { alertEventTypes, type AlertStore } from './alert-store.js';

export interface AlertReactorOptions {
  store: EventStore;
  alerts: AlertStore;
  /** Absent in processes that only serve the alert list (an API node): then nothing is enqueued. */
  queues?: AlertQueues;
  webhookTargets: readonly string[];
  logger: Logger;
  sweepIntervalMs?: number;
}

export class AlertReactor {
  private subscription: Subscription | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private restartDelayMs = 100;
  private caughtUp = false;
  private readonly onRedisReady = () => void this.sweep('redis-ready');

  constructor(private readonly options: AlertReactorOptions) {}

  start(): void {
    this.subscribe();
    if (this.options.queues) {
      void this.sweep('start');
      this.sweepTimer = setInterval(() => void this.sweep('interval'), this.options.sweepIntervalMs ?? 5_000);
      this.sweepTimer.unref();
      this.options.queues.connection.on('ready', this.onRedisReady);
    }
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  private subscribe(): void {
    const { store, alerts, logger } = this.options;
    const checkpoint = alerts.checkpoint();
    this.subscription = store.subscribeToAll({
      from: checkpoint === undefined ? 'start' : { after: checkpoint },
      filter: { eventTypes: alertEventTypes },
      batchSize: 200,
      handle: async (events) => {
        alerts.applyBatch(events, this.options.webhookTargets);
        this.restartDelayMs = 100;
        await this.enqueueFor(new Set(events.map((e) => (e.data as { alertId: string }).alertId)));
      },
      onCaughtUp: () => {
        this.caughtUp = true;
      },
      onError: (error) => {
        if (this.stopped) return;
        logger.error({ err: error }, 'alert reactor stopped; restarting from its checkpoint');
        setTimeout(() => !this.stopped && this.subscribe(), this.restartDelayMs).unref();
        this.restartDelayMs = Math.min(this.restartDelayMs * 2, 10_000);
      },
    });
  }

  /** Enqueues the pending work of the alerts a batch touched. A failure is left to the sweep, never lost. */
  private async enqueueFor(alertIds: Set<string>): Promise<void> {
    const { queues, alerts, logger } = this.options;
    if (!queues) return;
    try {
      const ids = [...alertIds];
      await queues.addDeliveries(alerts.pendingDeliveries(ids));
      await queues.addTimers(alerts.openTimers(ids));
    } catch (error) {
      logger.warn({ err: (error as Error).message, alerts: alertIds.size }, 'alert jobs not enqueued yet; the sweep will retry');
    }
  }

  /** Enqueues every pending delivery and open timer (deterministic ids make repeats harmless). */
  async sweep(why: string): Promise<{ deliveries: number; timers: number } | undefined> {
    const { queues, alerts, logger } = this.options;
    if (!queues || this.stopped) return undefined;
    const deliveries = alerts.pendingDeliveries();
    const timers = alerts.openTimers();
    try {
      await queues.addDeliveries(deliveries);
      await queues.addTimers(timers);
      const revived = await queues.reviveFailed(deliveries, timers);
      if (revived > 0) logger.warn({ why, revived }, 'alert sweep retried failed jobs whose work is still pending');
      if (why !== 'interval' || deliveries.length > 0) logger.debug({ why, deliveries: deliveries.length, timers: timers.length }, 'alert sweep');
      return { deliveries: deliveries.length, timers: timers.length };
    } catch (error) {
      logger.warn({ why, err: (error as Error).message }, 'alert sweep could not reach Redis; will retry');
      return undefined;
    }
  }

  /** Projection lag for /metrics and /readyz: events in the log after the alert checkpoint. */
  async lag(): Promise<bigint> {
    const head = await this.options.store.headPosition();
    const checkpoint = this.options.alerts.checkpoint() ?? -1n;
    return head > checkpoint ? head - checkpoint : 0n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.options.queues?.connection.off('ready', this.onRedisReady);
    await this.subscription?.stop();
  }
}
