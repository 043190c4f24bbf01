/**
 * `hru start` / `hru api`: runs the engine with graceful shutdown. Redis must answer first: the engine fails
 * fast with the command to start one rather than accept urgent referrals it could not alert on.
 */
import { createLogger, createRedis, loadConfig, openEventStore, pingRedis, redisAnswers } from '@hru/infra';
import { startApi } from '@hru/api';

export async function runStart(options: { only: 'all' | 'api' }): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: options.only === 'all' ? 'hru' : 'hru-api' });
  if (!(await redisAnswers(config.redisUrl))) {
    console.error(
      `hru: Redis does not answer at ${new URL(config.redisUrl).host}. Start one, for example:\n` +
        `  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n` +
        `or point REDIS_URL at yours.`,
    );
    return 3;
  }
  const store = await openEventStore({ dataDir: config.dataDir, eventStoreUrl: config.eventStoreUrl });
  const redis = createRedis(config.redisUrl, 'producer');
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const app = await startApi({
    config,
    logger,
    store,
    readinessChecks: [{ name: 'redis', check: () => pingRedis(redis) }],
  });
  logger.info({ port: config.port, host: config.host, eventStore: store.kind }, 'hru engine started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const timer = setTimeout(() => {
      logger.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    timer.unref();
    await app.close();
    await store.close();
    redis.disconnect();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return 0;
}
