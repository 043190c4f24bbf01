/**
 * The API's dependencies, built from what the composition root (services/cli/src/engine.ts) hands over: the
 * access log, token verification, metrics and readiness checks.
 */
import { AccessLog, type EncryptingEventStore, type ReferralCommandHandler } from '@hru/application';
import { createTokenVerifier, loadOrCreateJwtSecret, type Config, type IntegrityMonitor, type Logger } from '@hru/infra';
import type Database from 'better-sqlite3';
import { unitCostsWith, type ProjectionLag } from '@hru/projections';
import { Gauge } from 'prom-client';
import type { AppOptions } from './app.js';
import type { ApiDeps } from './deps.js';
import { createApiMetrics, registerIntegrityGauges, type ApiMetrics } from './plugins/metrics.js';
import type { ReadinessCheck } from './routes/operations.js';

export interface ApiRuntimeInput {
  config: Config;
  logger: Logger;
  /** The store with personal data sealed per person (its `inner` holds the ciphertext the chains cover). */
  store: EncryptingEventStore;
  commands: ReferralCommandHandler;
  readModels: Database.Database;
  projectionLag: () => Promise<ProjectionLag[]>;
  metrics?: ApiMetrics;
  readinessChecks?: ReadinessCheck[];
  now?: () => Date;
  app?: AppOptions;
  /** The integrity monitor of this process, when it runs one: /readyz, /metrics and the auditor's status. */
  integrity?: IntegrityMonitor;
}

/** Exposes each projection's lag behind the log as a gauge, read at scrape time. */
function registerLagGauge(metrics: ApiMetrics, projectionLag: () => Promise<ProjectionLag[]>): void {
  new Gauge({
    name: 'hru_projection_lag_events',
    help: 'Events in the log a projection has not applied yet (head of log minus checkpoint)',
    labelNames: ['projection'],
    registers: [metrics.registry],
    async collect() {
      for (const lag of await projectionLag()) this.set({ projection: lag.projection }, lag.lag);
    },
  });
}

/**
 * A break in the chains makes the engine not ready: it would otherwise keep serving data known to have
 * been changed outside it. The reason names the first break; the auditor sees them all.
 */
function integrityReady(integrity: IntegrityMonitor): ReadinessCheck {
  return {
    name: 'integrity',
    async check() {
      const { breaks } = integrity.status();
      const first = breaks[0];
      if (!first) return;
      const where = first.streamId === '*' ? '' : ` in ${first.streamId}`;
      throw new Error(`${breaks.length} integrity break(s); first: ${first.kind}${where}${first.position ? ` at position ${first.position}` : ''}`);
    },
  };
}

/** Readiness: every projection live and within this many events of the head. */
const MAX_READY_LAG = 1_000;

export function createApiDeps(input: ApiRuntimeInput): ApiDeps {
  const { config, store } = input;
  const metrics = input.metrics ?? createApiMetrics();
  registerLagGauge(metrics, input.projectionLag);
  if (input.integrity) registerIntegrityGauges(metrics, input.integrity);
  const projectionsReady = async () => {
    const behind = (await input.projectionLag()).filter((l) => l.status !== 'live' || l.lag > MAX_READY_LAG);
    if (behind.length > 0) throw new Error(behind.map((l) => `${l.projection} ${l.status}, ${l.lag} behind`).join('; '));
  };
  return {
    config,
    logger: input.logger,
    store,
    logStore: store.inner,
    keys: store.keys,
    commands: input.commands,
    readModels: input.readModels,
    projectionLag: input.projectionLag,
    accessLog: new AccessLog(store),
    verifyToken: createTokenVerifier({
      // With an identity provider configured, the local development secret is not trusted at all; nor in
      // production unless HRU_ALLOW_LOCAL_TOKENS says so (the configuration refuses to start otherwise).
      secret: config.jwksUrl || config.oidc || (config.production && !config.allowLocalTokens) ? undefined : loadOrCreateJwtSecret(config.dataDir, config.jwtSecret),
      jwksUrl: config.jwksUrl,
      discoveryIssuer: config.oidc?.issuer,
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      maxLifetimeMs: config.maxTokenLifetimeMs,
    }),
    metrics,
    readinessChecks: [
      { name: 'eventStore', check: () => store.ping() },
      { name: 'projections', check: projectionsReady },
      ...(input.integrity ? [integrityReady(input.integrity)] : []),
      ...(input.readinessChecks ?? []),
    ],
    ...(input.integrity ? { integrity: input.integrity } : {}),
    ...(config.outcomeComparator ? { outcomeComparator: config.outcomeComparator } : {}),
    unitCosts: unitCostsWith(config.unitCostOverrides),
    now: input.now ?? (() => new Date()),
  };
}
