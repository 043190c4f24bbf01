/** The readiness probe on Redis (apart from redis.ts, which the alert delivery thread loads without the event contracts). */
import type { Redis } from 'ioredis';
import { UnavailableError } from '@hru/events';

/** Readiness probe on a long-lived producer connection. */
export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') throw new UnavailableError(`Redis connection is ${redis.status}`);
  await redis.ping();
}
