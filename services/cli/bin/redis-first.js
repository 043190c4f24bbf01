#!/usr/bin/env node
// `npm start` runs this before the build: a missing Redis is reported in a second, not after a minute of
// building. Plain JavaScript, so it needs no build itself. `hru start` checks again (src/commands/start.ts)
// for every other way of starting the engine, with the same advice.
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
let host;
try {
  host = new URL(url).host; // the host only in messages: the URL may carry a password
} catch {
  console.error('hru: REDIS_URL is not a URL such as redis://127.0.0.1:6379');
  process.exit(2); // the engine's exit code for a configuration error
}

async function answers() {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
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

if (!(await answers())) {
  console.error(
    `hru: Redis does not answer at ${host}. Start one, for example:\n` +
      `  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n` +
      `or point REDIS_URL at yours.`,
  );
  process.exit(3);
}
