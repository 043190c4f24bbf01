/**
 * `hru start` as an operator runs it: a real process that becomes ready, serves, and on SIGTERM ends its
 * live streams, drains and exits 0, with its data intact for the next start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '@hru/infra';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { freePort, startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';
import { tempDir } from '../support/temp-dir.js';
import { JWT_SECRET, SOURCE_KEYS, intakeBody } from '../support/test-app.js';

let redis: PrivateRedis;
let dir: { dir: string; cleanup(): void };

beforeAll(async () => {
  redis = await startPrivateRedis();
  dir = tempDir('hru-shutdown-');
});
afterAll(async () => {
  await redis.stop();
  dir.cleanup();
});

async function startEngineProcess(port: number) {
  const child = spawnTs('services/cli/src/main.ts', ['start'], {
    HRU_DATA_DIR: dir.dir,
    REDIS_URL: redis.url,
    PORT: String(port),
    HRU_JWT_SECRET: JWT_SECRET,
    HRU_SOURCE_KEYS: `niche=${SOURCE_KEYS.niche}`,
    LOG_LEVEL: 'info',
  });
  const exited = finished(child);
  let gone: Awaited<typeof exited> | undefined;
  void exited.then((result) => (gone = result));
  const base = `http://127.0.0.1:${port}`;
  // Until ready or gone, not for a fixed number of polls: starting the engine from the TypeScript sources
  // took over 10 s on a busy machine, and the test's own timeout already bounds the wait.
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (gone) throw new Error(`engine exited with ${gone.code} before it was ready: ${gone.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, exited, base };
}

describe('hru start', () => {
  it('ends live streams, drains and exits 0 on SIGTERM; the next start sees the same data', async () => {
    const port = await freePort();
    const first = await startEngineProcess(port);
    const intake = await fetch(`${first.base}/v1/referrals`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${SOURCE_KEYS.niche}`, 'content-type': 'application/json' },
      body: JSON.stringify(intakeBody()),
    });
    expect(intake.status).toBe(201);
    const { referralId } = (await intake.json()) as { referralId: string };
    const token = await mintDevToken(JWT_SECRET, { sub: 'ds-1', name: 'DS One', roles: ['supervisor'], agency: 'police' });
    const stream = await fetch(`${first.base}/v1/alerts/stream`, { headers: { authorization: `Bearer ${token}` } });
    const reader = stream.body!.getReader();
    await reader.read(); // the stream is open

    first.child.kill('SIGTERM');
    const streamEnded = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    const result = await first.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await streamEnded).toBe(true);
    expect(result.stdout).toContain('shutting down');
    expect(result.stdout).toContain('"msg":"stopped"');
    // Once ready, it said once, in plain text, where to go next.
    expect(result.stdout.split(`HRU engine ready on ${first.base}`)).toHaveLength(2);
    expect(result.stdout).toContain(`web console  ${first.base}/console/`);
    expect(result.stdout).toContain(`API docs     ${first.base}/docs`);
    expect(result.stdout).toContain('demo data    npm run -s hru -- demo');

    const second = await startEngineProcess(port);
    try {
      const res = await fetch(`${second.base}/v1/referrals/${referralId}`, { headers: { authorization: `Bearer ${token}`, 'x-justification': 'restart check' } });
      expect(res.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
  }, 180_000);
});
