/** The real engine (startEngine, as `hru start` runs it) on a temp data dir, a given Redis and a free port. */
import pino from 'pino';
import { loadConfig, mintDevToken, type Config } from '@hru/infra';
import { startEngine, type Engine, type EngineParts } from '../../services/cli/src/engine.js';
import { JWT_SECRET, SOURCE_KEYS, intakeBody } from './test-app.js';

export const WEBHOOK_SECRET = 'webhook-secret-0123456789';

export interface TestEngine {
  engine: Engine;
  config: Config;
  baseUrl: string;
  intake(overrides?: Record<string, unknown>): Promise<{ referralId: string; urgent: boolean; revision: number }>;
  supervisorToken(): Promise<string>;
  stop(): Promise<void>;
}

export function engineEnv(dataDir: string, redisUrl: string, webhookUrl: string, ackSla = '15m'): Record<string, string> {
  return {
    HRU_DATA_DIR: dataDir,
    REDIS_URL: redisUrl,
    PORT: '0',
    HRU_JWT_SECRET: JWT_SECRET,
    HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}`,
    HRU_ALERT_WEBHOOK_URL: webhookUrl,
    HRU_ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    HRU_ALERT_ACK_SLA: ackSla,
    LOG_LEVEL: process.env.HRU_TEST_LOG ?? 'silent',
  };
}

export async function startTestEngine(env: Record<string, string>, parts: EngineParts = { api: true, projector: true, worker: true }): Promise<TestEngine> {
  const config = loadConfig(env);
  const engine = await startEngine(config, pino({ level: config.logLevel }), parts);
  const address = engine.app?.server.address();
  const baseUrl = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : '';
  return {
    engine,
    config,
    baseUrl,
    async intake(overrides = {}) {
      const res = await fetch(`${baseUrl}/v1/referrals`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${SOURCE_KEYS.niche}`, 'content-type': 'application/json' },
        body: JSON.stringify(intakeBody(overrides)),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { referralId: string; urgent: boolean; revision: number };
    },
    supervisorToken: () => mintDevToken(JWT_SECRET, { sub: 'ds-1', name: 'DS One', roles: ['supervisor'], agency: 'police' }),
    stop: () => engine.stop(),
  };
}
