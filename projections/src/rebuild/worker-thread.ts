/** Starting a rebuild worker thread (worker.ts) and waiting for it, from sources or from the build. */
import type { Worker } from 'node:worker_threads';
import { siblingModule, startModuleWorker } from '@hru/infra/threads';
import type { RebuildWorkerData, RebuildWorkerMessage } from './worker.js';

export function startWorker(data: RebuildWorkerData): Worker {
  return startModuleWorker(siblingModule(import.meta.url, 'worker'), data);
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
