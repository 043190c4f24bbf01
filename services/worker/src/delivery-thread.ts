/**
 * The alert delivery worker on a thread of its own. On the engine's event loop, an alert's pickup and webhook waited
 * behind whatever held that loop: intakes, read-model batches and above all the young generation's collections (12
 * to 17 ms each at the engine's 32 MB semi-spaces, every second or so under load). The alert-latency bench put most of
 * its p99 there (job created → worker start, and worker start → webhook received). Here the BullMQ worker, its Redis
 * connection and the webhook POST run on a thread with its own heap and event loop, which the engine's collections do
 * not stop.
 *
 * Nothing about delivery changes. The thread's worker is the same (delivery-worker.ts: named, handing back orphaned
 * jobs, retrying with backoff), and it records each outcome through the engine's thread (`record` posts it here and
 * waits for the answer), so the event store keeps one writer in this process and a job completes only once its outcome
 * is in the log. Its log lines come here too and go out through the engine's logger, with its level and redaction. A
 * thread that dies (it should not) is started again a second later; a job it was running is handed back by the new
 * one (orphaned-jobs.ts), since the dead thread's Redis connections closed with it.
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, startModuleWorker } from '@hru/infra/threads';
import type { Logger } from '@hru/infra';
import type { DeliveryOutcome, DeliveryWorkerOptions } from './delivery-worker.js';

/** What the thread is started with (delivery-thread-main.ts): the worker's options that are plain data. */
export type DeliveryThreadData = Omit<DeliveryWorkerOptions, 'record' | 'logger'>;

export type FromDeliveryThread =
  | { kind: 'started' }
  | { kind: 'log'; level: 'info' | 'warn'; fields: object; message: string }
  | { kind: 'record'; id: number; outcome: DeliveryOutcome };

export type ToDeliveryThread = { kind: 'recorded'; id: number; error?: string } | { kind: 'close' };

export interface DeliveryThreadOptions extends Omit<DeliveryWorkerOptions, 'logger'> {
  logger: Logger;
  /** How long after a thread died another is started (default 1 s). */
  restartDelayMs?: number;
  /** How long `close` waits for the thread to finish its jobs before it stops it (default 30 s). */
  closeTimeoutMs?: number;
}

export class DeliveryThread {
  private thread: Worker;
  private running = false;
  private closing: Promise<void> | undefined;
  /** Threads started after one died: a test can see one was. */
  restarts = 0;
  /**
   * Settles once the first thread has loaded its modules and made its worker (which then connects to Redis on its
   * own), or once the thread is closed. From the TypeScript sources that takes about 2 s, while the rest of the
   * engine starts: the engine answers requests only after it (engine.ts), so that an urgent referral taken in that
   * window is not left waiting for it, and an engine that answers `/readyz` is delivering.
   */
  readonly started: Promise<void>;
  private markStarted: () => void = () => undefined;

  constructor(private readonly options: DeliveryThreadOptions) {
    this.started = new Promise<void>((resolve) => (this.markStarted = resolve));
    this.thread = this.start();
  }

  /** The thread running now (tests stop it to see another start). */
  get current(): Worker {
    return this.thread;
  }

  private start(): Worker {
    const { record: _record, logger: _logger, restartDelayMs: _restart, closeTimeoutMs: _timeout, ...data } = this.options;
    const thread = startModuleWorker(siblingModule(import.meta.url, 'delivery-thread-main'), data satisfies DeliveryThreadData);
    this.running = true;
    thread.on('message', (message: FromDeliveryThread) => this.onMessage(thread, message));
    thread.on('error', (error) => this.options.logger.error({ err: error.message }, 'the alert delivery thread failed'));
    thread.once('exit', (exitCode) => {
      this.running = false;
      if (this.closing) return;
      this.options.logger.error({ exitCode }, 'the alert delivery thread stopped; starting another');
      setTimeout(() => {
        if (this.closing) return;
        this.restarts++;
        this.thread = this.start();
      }, this.options.restartDelayMs ?? 1_000).unref();
    });
    return thread;
  }

  private onMessage(thread: Worker, message: FromDeliveryThread): void {
    if (message.kind === 'started') {
      this.markStarted();
      return;
    }
    if (message.kind === 'log') {
      this.options.logger[message.level](message.fields, message.message);
      return;
    }
    const answer = (error?: string) => thread.postMessage({ kind: 'recorded', id: message.id, ...(error === undefined ? {} : { error }) } satisfies ToDeliveryThread);
    this.options.record(message.outcome).then(
      () => answer(),
      (error: unknown) => answer(error instanceof Error ? error.message : String(error)),
    );
  }

  /** Lets the thread finish the jobs it is running (their outcomes are recorded here meanwhile), then stops it. */
  close(): Promise<void> {
    this.markStarted();
    this.closing ??= (async () => {
      if (!this.running) return;
      const thread = this.thread;
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      thread.postMessage({ kind: 'close' } satisfies ToDeliveryThread);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => void thread.terminate().then(() => resolve()), this.options.closeTimeoutMs ?? 30_000);
      });
      await Promise.race([exited, late]);
      clearTimeout(timer);
    })();
    return this.closing;
  }
}
