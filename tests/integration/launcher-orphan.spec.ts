/**
 * `kill -9` of the `hru` launcher must not leave an engine serving as an orphan: the launcher runs the engine in
 * its own process (the TypeScript sources through tsx's in-process loader, or the build), so the kernel frees the
 * port with it and the next start on that port succeeds. SIGTERM still drains and says "stopped".
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { finished } from '../support/spawn-ts.js';
import { engineProcessEnv, privateRedisAndDir, spawnHru, untilHealthy } from '../support/spawn-hru.js';
import { freePort } from '../support/redis-server.js';

const fixture = privateRedisAndDir('hru-orphan-');

async function startHru(port: number) {
  const child = spawnHru(['start'], engineProcessEnv(fixture.dir(), fixture.redis().url, port));
  const exited = finished(child);
  const base = `http://127.0.0.1:${port}`;
  await untilHealthy(base, exited);
  return { child, exited, base };
}

/** Whether this process can bind the port: nothing else, orphan included, holds it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('the hru launcher', () => {
  it('takes the engine with it when killed with SIGKILL; the next start on the same port serves', async () => {
    const port = await freePort();
    const first = await startHru(port);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');

    // Nothing answers any more, and the port can be bound: no orphan child is serving.
    expect(await fetch(`${first.base}/healthz`).then(() => 'answered', () => 'refused')).toBe('refused');
    expect(await portIsFree(port)).toBe(true);

    const second = await startHru(port);
    second.child.kill('SIGTERM');
    const stopped = await second.exited;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('"msg":"stopped"');
    expect(stopped.stderr).not.toContain('EADDRINUSE');
  }, 180_000);
});
