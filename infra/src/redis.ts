/**
 * Redis connections as BullMQ wants them: workers block and must never give up a command
 * (`maxRetriesPerRequest: null`); producers and probes must fail fast instead of queueing while Redis is
 * down (`enableOfflineQueue: false`), because the event log, not Redis, is the outbox.
 */
import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'worker' | 'producer' | 'probe';

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 };
  return new Redis(url, {
    ...options,
    lazyConnect: role === 'probe',
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...extra,
  });
}

/** Answers whether Redis at `url` replies to PING within the timeout; never throws. */
export async function redisAnswers(url: string, timeoutMs = 2_000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
