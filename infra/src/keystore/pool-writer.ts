/**
 * The key pool's durable writes on a thread of their own. A batch of pool keys is one IMMEDIATE transaction with
 * `synchronous=FULL` (a key is durable before it is handed out, key-pool.ts): on the engine's event loop its commit
 * blocked every request for the fsync, 41 ms at the median and up to 828 ms when the disk was shared (512 keys,
 * 10 ms of it CPU). Here a worker holds its own connection to keys.sqlite and runs the transaction; the keys are
 * made and wrapped by the pool beforehand, and handed out only once this has answered that they are committed.
 *
 * Nothing about durability or numbering changes: the worker's connection is `synchronous=FULL` too, and numbers the
 * batch from `pool_sequence` inside its IMMEDIATE transaction, as the pool did, so no other writer (another process,
 * or this process's own synchronous refill when the pool runs dry) can take the same numbers.
 *
 * The key log follower's bindings go through here too, once the thread runs (sqlite-key-store.ts `bindKeys`): the
 * same statements and checkpoint as on the store's connection, which ran them on the event loop, about 5 ms for the
 * 770 keys bound every 2 s at 100 intakes/s.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BIND_POOL_KEY, SAVE_LOG_CHECKPOINT } from './key-store-schema.js';

/** The worker, CommonJS evaluated as is (no loader needed from sources or from the build), as wal-checkpointer.ts. */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = FULL');
const next = db.prepare('SELECT next FROM pool_sequence WHERE id = 1');
const saveNext = db.prepare('INSERT INTO pool_sequence (id, next) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET next = excluded.next');
const insert = db.prepare('INSERT INTO pool_keys (generation, lease, wrapped, kek_id, created_at) VALUES (?, ?, ?, ?, ?)');
const write = db.transaction((batch) => {
  const row = next.get();
  const first = Math.max(row ? row.next : 0, batch.firstAllowed);
  for (let i = 0; i < batch.wrapped.length; i++) {
    const wrapped = batch.wrapped[i];
    insert.run(first + i, batch.lease, Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength), batch.kekId, batch.createdAt);
  }
  saveNext.run(first + batch.wrapped.length);
  return first;
});
const bind = db.prepare(workerData.bindSql);
const saveCheckpoint = db.prepare(workerData.saveCheckpointSql);
const bindAll = db.transaction((m) => {
  for (let i = 0; i < m.generations.length; i++) bind.run(m.parties[i], m.referrals[i], m.generations[i]);
  saveCheckpoint.run(m.position);
});
// Not synced, as on the store's own connection (sqlite-key-store.ts bindKeys says why).
const bindUnsynced = (m) => {
  db.pragma('synchronous = NORMAL');
  try {
    bindAll(m);
  } finally {
    db.pragma('synchronous = FULL');
  }
  return 0; // a binding answers only that it is done
};
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, first: message.kind === 'bind' ? bindUnsynced(message) : write.immediate(message) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

export interface PoolBatch {
  lease: string;
  kekId: string;
  createdAt: string;
  /** The lowest generation the batch may take (above POOL_GENERATION_BASE). */
  firstAllowed: number;
  /** The wrapped keys, in the order they are numbered. */
  wrapped: Buffer[];
}

/** Bindings as three columns (a cheaper copy to the thread than an object per key), and their checkpoint. */
export interface PoolBindings {
  parties: (string | null)[];
  referrals: string[];
  generations: number[];
  /** The log position read up to, as text (a bigint does not cross to the thread). */
  position: string;
}

export class PoolWriter {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private readonly waiting = new Map<number, { resolve(first: number): void; reject(error: Error): void }>();
  private nextId = 0;
  private stopping: Promise<void> | undefined;

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, bindSql: BIND_POOL_KEY, saveCheckpointSql: SAVE_LOG_CHECKPOINT } });
    // Idle, never what keeps a process alive; referenced while a batch is in flight.
    this.worker.unref();
    this.worker.on('message', (message: { id: number; first?: number; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(`key pool writer failed: ${message.error}`));
      else waiter?.resolve(message.first!);
    });
    const fail = (error: Error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    this.worker.once('error', fail);
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', () => {
        fail(new Error('the key pool writer stopped'));
        resolve();
      }),
    );
  }

  /** Writes the batch durably; resolves with the generation of its first key (the others follow in order). */
  write(batch: PoolBatch): Promise<number> {
    return this.send(batch);
  }

  /** Binds pool keys to their subjects and saves the log checkpoint they reach, in one transaction. */
  async bind(bindings: PoolBindings): Promise<void> {
    await this.send({ kind: 'bind', ...bindings });
  }

  private send(message: object): Promise<number> {
    if (this.stopping) return Promise.reject(new Error('the key pool writer is stopping'));
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ...message });
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
  }

  /** Closes the worker's connection; resolves once the thread has exited. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.worker.ref();
      this.worker.postMessage('stop');
      await this.exited;
    })();
    return this.stopping;
  }
}
