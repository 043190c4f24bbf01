/**
 * The real engine for the HTTP benches: `startEngine` with every part (API, projector and outbox reactor, workers) in this
 * process, as `hru start` runs it, on a temp data dir (embedded SQLite, synchronous=FULL by default) and a
 * private redis-server, so the shared Redis is never touched. Logs go at `info`, as in production, but to
 * /dev/null: the cost of logging is measured, the terminal is not flooded.
 */
import pino from 'pino';
import { loadConfig, type Config } from '@hru/infra';
import { startEngine, type Engine, type EngineOptions } from '../../../services/cli/src/engine.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis-server.js';
import { JWT_SECRET, SOURCE_KEYS } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';

export interface BenchEngine {
  engine: Engine;
  config: Config;
  redis: PrivateRedis;
  baseUrl: string;
  stop(): Promise<void>;
}

export const sourceHeaders = { authorization: `ApiKey ${SOURCE_KEYS.niche}` };

export interface BenchEngineOptions {
  /** Default true, as in production; false prices the encryption (EngineOptions.sealPersonalData). */
  sealPersonalData?: boolean;
  /** Default true; false runs the engine without its read models and alert pipeline (EngineOptions.liveProjections). */
  liveProjections?: boolean;
  /** A last look at the API's dependencies (EngineOptions.adjustApi): the HTTP-layer bench stubs the handler. */
  adjustApi?: EngineOptions['adjustApi'];
  /** Configuration over the bench's own (e.g. a short HRU_ALERT_ACK_SLA, so escalations fire during the run). */
  env?: Record<string, string>;
}

export async function startBenchEngine(webhookUrl: string, redis?: PrivateRedis, options: BenchEngineOptions = {}): Promise<BenchEngine> {
  const ownRedis = redis === undefined;
  const r = redis ?? (await startPrivateRedis());
  const { dir, cleanup } = tempDir('hru-bench-engine-');
  const config = loadConfig({
    HRU_DATA_DIR: dir,
    REDIS_URL: r.url,
    PORT: '0',
    HRU_JWT_SECRET: JWT_SECRET,
    HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}`,
    HRU_ALERT_WEBHOOK_URL: webhookUrl,
    HRU_ALERT_WEBHOOK_SECRET: 'webhook-secret-0123456789',
    // One caller sends everything here: the per-caller limit must not be what is measured.
    HRU_RATE_LIMIT_PER_MINUTE: '10000000',
    LOG_LEVEL: process.env.HRU_BENCH_LOG_LEVEL ?? 'info',
    ...options.env,
  });
  const logger = pino({ level: config.logLevel }, pino.destination({ dest: '/dev/null', sync: false }));
  const engine = await startEngine(config, logger, { api: true, projector: true, worker: true }, {
    sealPersonalData: options.sealPersonalData ?? true,
    liveProjections: options.liveProjections ?? true,
    // `HRU_BENCH_DELIVERY_ON_LOOP=1`: alert deliveries on the engine's event loop, as before their thread, to compare.
    ...(process.env.HRU_BENCH_DELIVERY_ON_LOOP === '1' ? { deliveryOnEventLoop: true } : {}),
    ...(options.adjustApi ? { adjustApi: options.adjustApi } : {}),
  });
  const address = engine.app?.server.address();
  if (!address || typeof address !== 'object') throw new Error('the engine did not start its API');
  return {
    engine,
    config,
    redis: r,
    baseUrl: `http://127.0.0.1:${address.port}`,
    async stop() {
      await engine.stop();
      if (ownRedis) await r.stop();
      cleanup();
    },
  };
}
