/**
 * The real engine (the composition root `hru start` uses) over a temporary data dir, with the API built for
 * inject() and known credentials: API and read models only; tests that need queues and workers start them.
 */
import pino from 'pino';
import type { SqliteEventStore } from '@hru/infra';
import type { EncryptingEventStore } from '@hru/application';
import { staffRoles, type Role } from '@hru/events';
import { createLogger, loadConfig, mintDevToken } from '@hru/infra';
import type { ApiDeps, App, AppOptions } from '@hru/api';
import type { ProjectionRunner } from '@hru/projections';
import type Database from 'better-sqlite3';
import { startEngine } from '../../services/cli/src/engine.js';
import { tempDir } from './temp-dir.js';

export const JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const SOURCE_KEYS = { niche: 'niche-key-0123456789abcdef', athena: 'athena-key-0123456789abcdef' } as const;

export interface TestApp {
  app: App;
  deps: ApiDeps;
  /** The store as the engine reads it: personal data opened (or erased). */
  store: EncryptingEventStore;
  /** The store underneath: what is on disk (ciphertext). */
  rawStore: SqliteEventStore;
  readModels: Database.Database;
  projections: ProjectionRunner;
  /** The engine's data dir (the key file, the read models' file). */
  dataDir: string;
  /** A staff token; `agency` defaults to the owning force's (`police`). */
  token(role: Role | Role[], sub?: string, agency?: string): Promise<string>;
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
    /** Receives the start-up banner about relaxed controls (default: dropped). */
    banner?: (text: string) => void;
  } = {},
): Promise<TestApp> {
  const { dir, cleanup } = tempDir('hru-api-');
  const config = loadConfig({
    HRU_DATA_DIR: dir,
    HRU_JWT_SECRET: JWT_SECRET,
    HRU_SOURCE_KEYS: Object.entries(SOURCE_KEYS).map(([s, k]) => `${s}=${k}`).join(','),
    ...(options.app?.rateLimitPerMinute ? { HRU_RATE_LIMIT_PER_MINUTE: String(options.app.rateLimitPerMinute) } : {}),
    // Many tests send refused credentials on purpose; the throttle test sets its own limit.
    HRU_AUTH_FAILURES_PER_MINUTE: '1000000',
    ...options.env,
  });
  const logTo = options.logTo;
  const logger = logTo
    ? createLogger({ level: 'info', destination: { write: (line: string) => logTo(line) } as never })
    : pino({ level: process.env.HRU_TEST_LOG ?? 'silent' });
  let deps: ApiDeps | undefined;
  const engine = await startEngine(config, logger, { api: true, projector: false, worker: false }, {
    listen: false,
    sqlite: { pollIntervalMs: 20 },
    banner: options.banner ?? (() => undefined),
    ...(options.now ? { now: options.now } : {}),
    adjustApi: (built) => {
      options.adjust?.(built);
      deps = built;
    },
  });
  return {
    app: engine.app!,
    deps: deps!,
    store: engine.store,
    rawStore: engine.store.inner as SqliteEventStore,
    readModels: engine.readModels!,
    projections: engine.projector!.runner,
    dataDir: dir,
    token: (role, sub = 'user-1', agency = 'police') =>
      mintDevToken(JWT_SECRET, { sub, name: `Test ${sub}`, roles: [role].flat(), agency }),
    async close() {
      await engine.stop();
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
