/**
 * Composition root: builds the engine's parts from the configuration. `hru start` runs them all in one
 * process (the embedded default); `hru api`, `hru worker` and `hru projector` run one part each.
 */
import { type EventStore, ReferralCommandHandler } from '@hru/application';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { AlertQueues, createRedis, openEventStore, pingRedis, type Config, type Logger } from '@hru/infra';
import { AlertReactor, AlertStore } from '@hru/projector';
import { ProjectionRunner, allProjections, openReadModels, type ProjectionLag } from '@hru/projections';
import { createDeliveryWorker, createTimerWorker } from '@hru/worker';
import { startApi, type App } from '@hru/api';

export interface EngineParts {
  api: boolean;
  projector: boolean;
  worker: boolean;
}

export interface Engine {
  store: EventStore;
  app: App | undefined;
  stop(): Promise<void>;
}

/** The command handler as the configuration wants it: the SLA, and as many escalation levels as tiers. */
export function referralCommandHandler(store: EventStore, config: Config): ReferralCommandHandler {
  return new ReferralCommandHandler(store, {
    alertAckSlaMs: config.alertAckSlaMs,
    maxEscalationLevel: config.alertEscalationTiers.length - 1,
  });
}

export async function startEngine(config: Config, logger: Logger, parts: EngineParts): Promise<Engine> {
  const store = await openEventStore({ dataDir: config.dataDir, eventStoreUrl: config.eventStoreUrl });
  const commands = referralCommandHandler(store, config);
  const needsAlertModel = parts.api || parts.projector;
  const alerts = needsAlertModel ? new AlertStore(join(config.dataDir, 'alerts.sqlite')) : undefined;
  const queues = parts.projector ? new AlertQueues(config.redisUrl) : undefined;
  const reactor = alerts
    ? new AlertReactor({ store, alerts, ...(queues ? { queues } : {}), webhookTargets: config.alertWebhookUrls, logger: logger.child({ part: 'alert-reactor' }) })
    : undefined;
  reactor?.start();
  if (parts.projector && config.alertWebhookUrls.length === 0) {
    logger.warn('HRU_ALERT_WEBHOOK_URL is empty: urgent alerts reach only the console and the live stream, no pager or webhook');
  }
  // Each process that serves queries keeps its own read models, fed by its own subscription.
  const readModels = needsAlertModel ? openReadModels(config.dataDir) : undefined;
  const projections = readModels
    ? new ProjectionRunner({ store, db: readModels, projections: allProjections, logger: logger.child({ part: 'projections' }) })
    : undefined;
  projections?.start();
  const projectionLag = async (): Promise<ProjectionLag[]> => {
    const lags = projections ? await projections.lag() : [];
    if (!reactor) return lags;
    const head = await store.headPosition();
    const checkpoint = alerts?.checkpoint() ?? -1n;
    return [
      ...lags,
      {
        projection: 'alerts',
        version: 1,
        status: reactor.isCaughtUp ? 'live' : 'catching_up',
        failures: 0,
        lastError: undefined,
        checkpoint: checkpoint.toString(),
        head: head.toString(),
        // The alert model only moves on alert events: it is behind only while it has not caught up.
        lag: reactor.isCaughtUp ? 0 : Number(await reactor.lag()),
      },
    ];
  };

  const workers: Worker[] = parts.worker
    ? [
        createDeliveryWorker({ redisUrl: config.redisUrl, store, logger: logger.child({ part: 'delivery-worker' }), secret: config.alertWebhookSecret, tiers: config.alertEscalationTiers }),
        createTimerWorker({ redisUrl: config.redisUrl, commands, logger: logger.child({ part: 'timer-worker' }) }),
      ]
    : [];

  const probe = createRedis(config.redisUrl, 'producer');
  probe.on('error', () => undefined);
  const app =
    parts.api && alerts && readModels
      ? await startApi({
          config,
          logger,
          store,
          commands,
          alerts,
          readModels,
          projectionLag,
          app: { rateLimitPerMinute: config.rateLimitPerMinute },
          readinessChecks: [{ name: 'redis', check: () => pingRedis(probe) }],
        })
      : undefined;

  return {
    store,
    app,
    async stop() {
      // Order matters: stop taking requests, then stop producing work, then finish the work in hand.
      await app?.close();
      await reactor?.stop();
      await projections?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await queues?.close();
      alerts?.close();
      readModels?.close();
      probe.disconnect();
      await store.close();
    },
  };
}
