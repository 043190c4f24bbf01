/**
 * A worker thread that runs one of this project's modules, from its TypeScript sources or from the build, whichever
 * the caller itself was loaded from. From the sources (tests, `npm run bench`, `hru` before a build) the thread
 * registers tsx's loader first, found from here rather than from the working directory, which may be anywhere, and
 * resolves the workspace packages to their sources as the caller does (`--conditions=@hru/source`).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The URL of tsx's ESM register API (`tsx/esm/api`, import condition), resolved from this package. */
function tsxEsmApi(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(packageJson), exported['./esm/api']!.import.default)).href;
}

/**
 * Starts `module` (a URL ending in `.ts` or `.js`) in a worker thread with `workerData`. Pass the URL of the `.ts` file
 * when the caller runs from its sources, of the `.js` file when it runs from the build: `siblingModule` makes it.
 */
export function startModuleWorker(module: URL, workerData: unknown, options: Omit<WorkerOptions, 'workerData' | 'eval'> = {}): Worker {
  if (module.pathname.endsWith('.ts')) {
    const bootstrap = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`;
    return new Worker(bootstrap, { ...options, eval: true, workerData, execArgv: [...(options.execArgv ?? []), '--conditions=@hru/source'] });
  }
  return new Worker(module, { ...options, workerData });
}

/** The module `name` (without extension) beside `caller` (its `import.meta.url`), with the caller's own extension. */
export function siblingModule(caller: string, name: string): URL {
  const extension = fileURLToPath(caller).endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, caller);
}
