/** The `hru` command as an operator runs it: `node services/cli/bin/hru.js …`, the launcher itself, no tsx flags. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { finished } from './spawn-ts.js';

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
 * Polls `/healthz` until it answers 200. It gives up when the process exits, never on a clock: a loaded
 * machine starts slowly, and the test's own timeout is the bound.
 */
export async function untilHealthy(base: string, exited: Promise<{ code: number | null; stderr: string }>): Promise<void> {
  let gone: { code: number | null; stderr: string } | undefined;
  void exited.then((result) => (gone = result));
  for (;;) {
    if (gone) throw new Error(`hru exited with ${gone.code} before answering: ${gone.stderr}`);
    if (await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
