/** Starting a rebuild worker thread (worker.ts) and waiting for it, from sources or from the build. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RebuildWorkerData, RebuildWorkerMessage } from './worker.js';

/** The URL of tsx's ESM register API (`tsx/esm/api`, import condition), resolved from this package. */
function tsxEsmApi(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(packageJson), exported['./esm/api']!.import.default)).href;
}

export function startWorker(data: RebuildWorkerData): Worker {
  const url = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  if (url.pathname.endsWith('.ts')) {
    // Running from the TypeScript sources (tests, `npm run bench`, `hru` before a build): the worker registers the
    // same loader first, found from here rather than from the working directory, which may be anywhere.
    const bootstrap = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
    return new Worker(bootstrap, { eval: true, workerData: data, execArgv: ['--conditions=@hru/source'] });
  }
  return new Worker(url, { workerData: data });
}

/** Settles when the worker has posted `done` and exited; rejects on its error or an early exit. */
export function finished(worker: Worker, onPage: (events: number, position: bigint) => void): Promise<bigint> {
  return new Promise((resolve, reject) => {
    let reached: bigint | undefined;
    worker.on('message', (message: RebuildWorkerMessage) => {
      if (message.kind === 'page') onPage(message.events, BigInt(message.position));
      else reached = BigInt(message.position);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (reached !== undefined && code === 0) resolve(reached);
      else reject(new Error(`rebuild worker exited with code ${code} before finishing`));
    });
  });
}
