/**
 * `hru start` (everything in one process) and `hru api` / `hru worker` / `hru projector` (one part each), with
 * graceful shutdown. Redis must answer first: the engine fails fast with the command to start one rather
 * than accept urgent referrals it could not alert on.
 */
import { parseArgs } from 'node:util';
import { createLogger, loadConfig, redisAnswers } from '@hru/infra';
import { clocksOf, startEngine, type EngineParts } from '../engine.js';

/**
 * `--dev` turns on development sign-in for this run (as HRU_DEV_SIGN_IN=true does); `npm start` passes it so
 * that the README's two commands give a newcomer a way in. Start-up announces it (engine.ts).
 */
export async function runStart(parts: EngineParts, args: string[] = []): Promise<number> {
  const { values } = parseArgs({ args, options: { dev: { type: 'boolean', default: false } } });
  const config = loadConfig(values.dev ? { ...process.env, HRU_DEV_SIGN_IN: 'true' } : process.env);
  // The clock table is checked now, with the rest of the configuration, not at the first legal measure.
  clocksOf(config);
  const logger = createLogger({ level: config.logLevel, name: 'hru' });
  if (!(await redisAnswers(config.redisUrl))) {
    console.error(
      `hru: Redis does not answer at ${new URL(config.redisUrl).host}. Start one, for example:\n` +
        `  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n` +
        `or point REDIS_URL at yours.`,
    );
    return 3;
  }
  const engine = await startEngine(config, logger, parts);
  logger.info({ parts, port: parts.api ? config.port : undefined, host: parts.api ? config.host : undefined, eventStore: engine.store.kind }, 'hru engine started');
  const address = engine.app?.server.address();
  // Plain text beside the JSON log lines, once: what someone who just ran `npm start` needs next.
  if (address && typeof address === 'object') process.stdout.write(readyBanner(config.host, address.port));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests and jobs');
    const timer = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    timer.unref();
    await engine.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return 0;
}

/** The address to open from this machine: a wildcard bind answers on loopback too; an IPv6 literal needs brackets. */
export function baseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** Where to go once the API answers: the console, the API documentation, and how to get data to look at. */
export function readyBanner(host: string, port: number): string {
  const base = baseUrl(host, port);
  return [
    '',
    `HRU engine ready on ${base}`,
    `  web console  ${base}/console/`,
    `  API docs     ${base}/docs  (OpenAPI document: ${base}/openapi.json)`,
    '  demo data    npm run -s hru -- demo   (a synthetic caseload; it prints a few referral ids to try)',
    '',
    '',
  ].join('\n');
}
