/**
 * `hru start` as an operator runs it: a real process that becomes ready, serves, and on SIGTERM ends its
 * live streams, drains and exits 0, with its data intact for the next start.
 */
import { describe, expect, it } from 'vitest';
import { mintDevToken } from '@hru/infra';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { engineProcessEnv, privateRedisAndDir, untilHealthy } from '../support/spawn-hru.js';
import { freePort } from '../support/redis-server.js';
import { JWT_SECRET, SOURCE_KEYS, intakeBody } from '../support/test-app.js';

const fixture = privateRedisAndDir('hru-shutdown-');

async function startEngineProcess(port: number) {
  const child = spawnTs('services/cli/src/main.ts', ['start'], engineProcessEnv(fixture.dir(), fixture.redis().url, port));
  const exited = finished(child);
  const base = `http://127.0.0.1:${port}`;
  await untilHealthy(base, exited, '/readyz');
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
