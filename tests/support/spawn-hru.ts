/** The `hru` command as an operator runs it: `node services/cli/bin/hru.js …`, the launcher itself, no tsx flags. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { finished } from './spawn-ts.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server.js';
import { tempDir } from './temp-dir.js';
import { JWT_SECRET, SOURCE_KEYS } from './test-app.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function spawnHru(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['services/cli/bin/hru.js', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs an `hru` command to its end. */
export function runHru(args: string[], env: Record<string, string>): ReturnType<typeof finished> {
  return finished(spawnHru(args, env));
}

/**
 * Polls `base` + `path` (`/healthz`, or `/readyz` for a ready engine) until it answers 200. It gives up when the
 * process exits, never on a clock: a loaded machine starts slowly, and the test's own timeout is the bound.
 */
export async function untilHealthy(base: string, exited: Promise<{ code: number | null; stderr: string }>, path = '/healthz'): Promise<void> {
  let gone: { code: number | null; stderr: string } | undefined;
  void exited.then((result) => (gone = result));
  for (;;) {
    if (gone) throw new Error(`hru exited with ${gone.code} before ${path} answered: ${gone.stderr}`);
    if (await fetch(`${base}${path}`).then((r) => r.status === 200, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The environment of an engine process on a data dir, a Redis and a port, with the tests' credentials. */
export function engineProcessEnv(dataDir: string, redisUrl: string, port: number): Record<string, string> {
  return {
    HRU_DATA_DIR: dataDir,
    REDIS_URL: redisUrl,
    PORT: String(port),
    HRU_JWT_SECRET: JWT_SECRET,
    HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}`,
    LOG_LEVEL: 'info',
  };
}

/** A private Redis and a temporary folder for one test file's engine processes, gone after its tests. */
export function privateRedisAndDir(prefix: string): { redis(): PrivateRedis; dir(): string } {
  let redis: PrivateRedis | undefined;
  let dir: { dir: string; cleanup(): void } | undefined;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    dir = tempDir(prefix);
  });
  afterAll(async () => {
    await redis?.stop();
    dir?.cleanup();
  });
  return { redis: () => redis!, dir: () => dir!.dir };
}
