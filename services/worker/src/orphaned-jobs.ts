/**
 * Jobs a dead worker was running, handed back as soon as a worker (re)starts, rather than when BullMQ's lock lapses.
 *
 * Why: a worker killed mid-job (kill -9, a lost host, an OOM kill) leaves its jobs active and locked; the lock lapses
 * after `lockDuration` (10 s) and the next stalled check (every 5 s) hands them back, so an urgent alert that was in
 * flight reached its supervisor 10–15 s after the engine came back. A starting worker can tell sooner: every worker
 * is named (`workerName`), its blocking connection carries the name, BullMQ records the name on each job it takes
 * (`processedBy`), and Redis drops a dead process's connections the moment its socket closes. An active job whose
 * taker is not among the connected workers was orphaned; it is put back under the same id (so a webhook receiver
 * sees the same delivery id) and the worker takes it at once.
 *
 * Safe to run beside live workers: a job whose taker is connected is left alone. Where the server does not list its
 * clients (some managed Redis refuse CLIENT LIST) nothing can be told, and nothing is touched: the lock and the
 * stalled check still recover the job, only later. A worker that merely lost its connection for a moment and is
 * mistaken for dead delivers the job a second time at worst: deliveries are at-least-once already, their outcome
 * events have deterministic ids, and the receiver sees the same delivery id twice.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, type ConnectionOptions, type Job } from 'bullmq';

/** What the workers log through: the engine's logger, or on a worker thread its messages to the engine's (delivery-thread.ts). */
export interface WorkerLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** A name no other worker has, readable in `CLIENT LIST` and on the jobs it takes. */
export function workerName(part: string): string {
  return `${part}@${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

const LIVE_NAME = /:w:(.+)$/;

/** The names of the workers connected to Redis for this queue now; undefined when the server cannot say. */
async function connectedWorkers(queue: Queue): Promise<Set<string> | undefined> {
  try {
    const clients = (await queue.getWorkers()) as { rawname?: string }[];
    return new Set(clients.flatMap((c) => LIVE_NAME.exec(c.rawname ?? '')?.[1] ?? []));
  } catch {
    return undefined;
  }
}

/**
 * Puts back to wait every active job of `queueName` taken by a worker that is no longer connected. `self` is the
 * calling worker's name: unless it is listed, the server's client list cannot be trusted and nothing is done.
 * Returns the ids put back.
 */
export async function releaseOrphanedJobs(queueName: string, connection: ConnectionOptions, self: string, logger: WorkerLog): Promise<string[]> {
  const queue = new Queue(queueName, { connection });
  try {
    const live = await connectedWorkers(queue);
    if (!live?.has(self)) return [];
    const active = (await queue.getJobs(['active'], 0, 9_999)) as Job[];
    const orphaned = active.filter((job) => job.id !== undefined && job.processedBy !== undefined && !live.has(job.processedBy));
    const released: string[] = [];
    const client = await queue.client;
    for (const job of orphaned) {
      // The dead worker's lock would keep the job active until it lapses; without it the job can be removed and added
      // again. Were this process to die between the two, the log still names the work and the reactor's sweep adds it.
      await client.del(`${queue.toKey(job.id!)}:lock`);
      try {
        await job.remove();
      } catch {
        continue; // taken or finished meanwhile by its own worker after all: leave it
      }
      // Due now: a timer job that comes up early goes back to the delayed set by itself (timer-worker.ts).
      const { delay: _delay, ...opts } = job.opts;
      await queue.add(job.name, job.data, { ...opts, jobId: job.id! });
      released.push(job.id!);
    }
    if (released.length > 0) logger.warn({ queue: queueName, released: released.length, jobIds: released }, 'put back jobs that a worker which is gone was running');
    return released;
  } finally {
    await queue.close();
  }
}

/**
 * The `ready` listener of a worker: on each (re)connection, the jobs of workers gone meanwhile are handed back. One
 * pass at a time; a failure is logged and left to BullMQ's own stalled check.
 */
export function handBackOrphans(queueName: string, connection: ConnectionOptions, self: string, logger: WorkerLog): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    releaseOrphanedJobs(queueName, connection, self, logger)
      .catch((error: unknown) => logger.warn({ queue: queueName, err: (error as Error).message }, 'could not look for jobs of workers that are gone'))
      .finally(() => (running = false));
  };
}
