#!/usr/bin/env node
// Runs the built CLI when it is up to date with the sources; otherwise (a fresh checkout, or sources changed
// since the last build) it runs the TypeScript sources in a child process, forwarding signals so that
// SIGTERM still drains the engine. A stale build must never run: it could be older security code.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const built = new URL('../dist/main.js', import.meta.url);
const packages = ['events', 'workflows', 'projections', 'infra', 'services/api', 'services/worker', 'services/projector', 'services/cli', 'services/console'];

function newestSource() {
  let newest = 0;
  for (const pkg of packages) {
    const src = join(repo, pkg, 'src');
    if (!existsSync(src)) continue;
    for (const file of readdirSync(src, { recursive: true })) {
      if (String(file).endsWith('.ts')) newest = Math.max(newest, statSync(join(src, String(file))).mtimeMs);
    }
  }
  return newest;
}

/** `npm run build` writes this stamp after every package built; sources edited since make the build stale. */
const stamp = join(repo, 'services/cli/dist/.built-at');

function builtIsCurrent() {
  return existsSync(fileURLToPath(built)) && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource();
}

const current = builtIsCurrent();
if (process.env.HRU_LAUNCH_DEBUG) process.stderr.write(`hru: running the ${current ? 'build (dist)' : 'TypeScript sources'}\n`);
if (current) {
  await import(built.href);
} else {
  const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@hru/source', '--import', 'tsx', source, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
