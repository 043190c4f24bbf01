/** Builds the real API over a temporary SQLite event store, with known credentials, for inject() tests. */
import { join } from 'node:path';
import pino from 'pino';
import { staffRoles, type Role } from '@hru/events';
import { SqliteEventStore, createLogger, loadConfig, mintDevToken } from '@hru/infra';
import { buildApp, createApiDeps, type ApiDeps, type App, type AppOptions } from '@hru/api';
import { referralCommandHandler } from '../../services/cli/src/engine.js';
import { AlertReactor, AlertStore } from '@hru/projector';
import { ProjectionRunner, allProjections, openReadModels } from '@hru/projections';
import { tempDir } from './temp-dir.js';

export const JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const SOURCE_KEYS = { niche: 'niche-key-0123456789abcdef', athena: 'athena-key-0123456789abcdef' } as const;

export interface TestApp {
  app: App;
  deps: ApiDeps;
  store: SqliteEventStore;
  alerts: AlertStore;
  projections: ProjectionRunner;
  token(role: Role | Role[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(
  options: {
    app?: AppOptions;
    env?: Record<string, string>;
    now?: () => Date;
    adjust?: (deps: ApiDeps) => void;
    /** Receives the engine's log lines (info level) instead of silence. */
    logTo?: (line: string) => void;
  } = {},
): Promise<TestApp> {
  const { dir, cleanup } = tempDir('hru-api-');
  const config = loadConfig({
    HRU_DATA_DIR: dir,
    HRU_JWT_SECRET: JWT_SECRET,
    HRU_SOURCE_KEYS: Object.entries(SOURCE_KEYS).map(([s, k]) => `${s}=${k}`).join(','),
    ...options.env,
  });
  const store = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 20 });
  const logTo = options.logTo;
  const logger = logTo
    ? createLogger({ level: 'info', destination: { write: (line: string) => logTo(line) } as never })
    : pino({ level: process.env.HRU_TEST_LOG ?? 'silent' });
  const commands = referralCommandHandler(store, config);
  const alerts = new AlertStore(join(dir, 'alerts.sqlite'));
  // Read model only: tests that need queues and workers build them themselves.
  const reactor = new AlertReactor({ store, alerts, webhookTargets: config.alertWebhookUrls, logger });
  reactor.start();
  const readModels = openReadModels(dir);
  const projections = new ProjectionRunner({ store, db: readModels, projections: allProjections, logger });
  projections.start();
  const deps = createApiDeps({
    config,
    logger,
    store,
    commands,
    alerts,
    readModels,
    projectionLag: () => projections.lag(),
    ...(options.now ? { now: options.now } : {}),
  });
  options.adjust?.(deps);
  const app = await buildApp(deps, options.app);
  await app.ready();
  return {
    app,
    deps,
    store,
    alerts,
    projections,
    token: (role, sub = 'user-1') =>
      mintDevToken(JWT_SECRET, { sub, name: `Test ${sub}`, roles: [role].flat(), agency: 'police' }),
    async close() {
      await app.close();
      await reactor.stop();
      await projections.stop();
      alerts.close();
      readModels.close();
      await store.close();
      cleanup();
    },
  };
}

export const allRoles = staffRoles;

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function apiKey(system: keyof typeof SOURCE_KEYS = 'niche'): Record<string, string> {
  return { authorization: `ApiKey ${SOURCE_KEYS[system]}` };
}

export { intakeBody } from './intake-body.js';
