/**
 * Composition root of the API process part: builds the dependencies from the configuration, listens, and
 * shuts down gracefully (stop accepting, drain in-flight requests, then let the caller close the store).
 */
import { AccessLog, createTokenVerifier, loadOrCreateJwtSecret, type Config, type EventStore, type Logger } from '@hru/infra';
import type { ReferralCommandHandler } from '@hru/workflows';
import type { AlertStore } from '@hru/projector';
import { buildApp, type App, type AppOptions } from './app.js';
import type { ApiDeps } from './deps.js';
import { createApiMetrics, type ApiMetrics } from './plugins/metrics.js';
import type { ReadinessCheck } from './routes/operations.js';

export interface ApiRuntimeInput {
  config: Config;
  logger: Logger;
  store: EventStore;
  commands: ReferralCommandHandler;
  alerts: AlertStore;
  metrics?: ApiMetrics;
  readinessChecks?: ReadinessCheck[];
  now?: () => Date;
  app?: AppOptions;
}

export function createApiDeps(input: ApiRuntimeInput): ApiDeps {
  const { config, store } = input;
  return {
    config,
    logger: input.logger,
    store,
    commands: input.commands,
    alerts: input.alerts,
    accessLog: new AccessLog(store),
    verifyToken: createTokenVerifier({
      // With an identity provider configured, the local development secret is not trusted at all.
      secret: config.jwksUrl ? undefined : loadOrCreateJwtSecret(config.dataDir, config.jwtSecret),
      jwksUrl: config.jwksUrl,
    }),
    metrics: input.metrics ?? createApiMetrics(),
    readinessChecks: [{ name: 'eventStore', check: () => store.ping() }, ...(input.readinessChecks ?? [])],
    now: input.now ?? (() => new Date()),
  };
}

export async function startApi(input: ApiRuntimeInput): Promise<App> {
  const app = await buildApp(createApiDeps(input), input.app);
  await app.listen({ port: input.config.port, host: input.config.host });
  return app;
}
