#!/usr/bin/env -S node --max-semi-space-size=32
// Runs the built CLI when it is up to date with the sources; otherwise (a fresh checkout, or sources changed
// since the last build) it runs the TypeScript sources. A stale build must never run: it could be older
// security code. Either way the engine runs in this very process, never in a child: a launcher killed with
// SIGKILL cannot forward the signal, and a child would go on serving as an orphan holding the port.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const built = new URL('../dist/main.js', import.meta.url);
const packages = ['events', 'workflows', 'application', 'projections', 'infra', 'services/api', 'services/worker', 'services/projector', 'services/cli', 'services/console'];

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

/**
 * Workspace packages export their sources under the `@hru/source` condition. `--conditions` is a command-line
 * flag only, so a resolve hook adds the condition to every resolution of this process instead.
 */
const withSourceCondition = `export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('@hru/source') ? context.conditions : ['@hru/source', ...context.conditions];
  return next(specifier, { ...context, conditions });
}`;

const current = builtIsCurrent();
if (process.env.HRU_LAUNCH_DEBUG) process.stderr.write(`hru: running the ${current ? 'build (dist)' : 'TypeScript sources'} in process ${process.pid}\n`);
if (current) {
  await import(built.href);
} else {
  // tsx's loader first: hooks registered later run first, so the condition is added before tsx resolves.
  const tsx = await import('tsx/esm/api');
  tsx.register();
  register(`data:text/javascript,${encodeURIComponent(withSourceCondition)}`);
  await import(new URL('../src/main.ts', import.meta.url).href);
}
