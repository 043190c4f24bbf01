/**
 * Data keys created ahead of need. Creating a new case's keys at intake cost a key-store commit (an fsync) before
 * every append, more CPU than all the sealing (BENCHMARKS.md, *With the key pool*); here keys are created in batches
 * of hundreds, in one durable transaction each, when the pool runs low, so an intake takes its keys from memory. The
 * batch's keys are made and wrapped on the event loop and written by a worker thread (pool-writer.ts), whose commit's
 * fsync no longer blocks the requests. A process that takes intakes starts its first batch as it starts
 * (`stockAhead`); only when the pool runs dry with no batch in flight (a store nobody stocked, or a batch that failed)
 * is a batch written here, synchronously. A key is durable before it is handed out, wrapped like any other
 * (the file is the key store's own, 0600).
 *
 * Each process hands out only the keys it created (its `lease`), so two processes never give one key to two subjects.
 * A key handed out whose event was never written is never bound: an unused wrapped key, harmless. Keys never handed out
 * are deleted when the store closes.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { POOL_GENERATION_BASE, randomBytesFromPool } from '@hru/application';
import type { KeyWrapper } from './key-wrapper.js';
import { PoolWriter, type PoolBindings } from './pool-writer.js';

export interface PooledKey {
  generation: number;
  key: Buffer;
}

export interface KeyPoolOptions {
  /** Keys created per durable batch (default 512: a new case takes three). */
  batch?: number;
  /** A refill is started when fewer than this many are left (default half a batch). */
  low?: number;
}

/** Keys made and wrapped in one turn of the event loop by a background batch (about 0.8 ms of wraps here). */
const WRAP_SLICE = 64;

/** Keys never handed out, wiped. */
function zeroed(made: readonly PooledKey[]): void {
  for (const { key } of made) key.fill(0);
}

export class KeyPool {
  /** Names the keys this process created. */
  readonly lease = randomUUID();
  private ready: PooledKey[] = [];
  /** The batch being written by the worker, if any: one at a time. */
  private inFlight: Promise<void> | undefined;
  /** Started with the first background batch, so a short-lived store (a CLI command, a test) starts no thread. */
  private writer: PoolWriter | undefined;
  private writerFailed = false;
  private refillScheduled = false;
  private closed = false;
  private readonly batch: number;
  private readonly low: number;
  private readonly statements: {
    next: Database.Statement<[], { next: number }>;
    saveNext: Database.Statement<[number]>;
    insert: Database.Statement<[number, string, Buffer, string, string]>;
  };

  constructor(
    private readonly db: Database.Database,
    private readonly wrapper: () => KeyWrapper,
    private readonly now: () => Date,
    options: KeyPoolOptions = {},
  ) {
    this.batch = options.batch ?? 512;
    // Half a batch: at the intake bench's 2,700 keys a second a quarter (47 ms of keys) ran out before the writer's
    // commit landed, about once a second, and each time an intake made a batch on the event loop (see `stocked`).
    this.low = options.low ?? Math.ceil(this.batch / 2);
    this.statements = {
      next: db.prepare('SELECT next FROM pool_sequence WHERE id = 1'),
      saveNext: db.prepare('INSERT INTO pool_sequence (id, next) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET next = excluded.next'),
      insert: db.prepare('INSERT INTO pool_keys (generation, lease, wrapped, kek_id, created_at) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /** Resolves once no batch is being written in the background (tests: the pool and the file then agree). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Whether batches are written by the worker thread (false before the first, or after one failed). */
  get writesInBackground(): boolean {
    return this.writer !== undefined && !this.writerFailed;
  }

  /** How many keys are ready to hand out. */
  get size(): number {
    return this.ready.length;
  }

  /**
   * Resolves once `count` keys are ready, or once no batch is being written. A caller that finds the pool short while
   * the worker is writing a batch waits for that batch here, with the event loop free, instead of making and
   * committing one of its own on it in `take` (512 wraps, inserts and an fsync: 4 to 15 ms with every other request
   * held, which the intake bench met about once a second).
   */
  async stocked(count: number): Promise<void> {
    while (this.ready.length < count && this.inFlight) await this.inFlight;
  }

  /**
   * Starts a batch now when the pool is short and none is being written: a process that takes intakes calls it as it
   * starts, so that its first intake takes keys the worker made, or waits for them with the event loop free
   * (`stocked`), instead of making a batch on the event loop in `take` with every other request held. The first
   * referral after a restart is the one a supervisor may be waiting for.
   */
  stockAhead(): void {
    if (this.closed || this.inFlight || this.ready.length >= this.low) return;
    // A writer that failed (its thread, or a batch) is not tried again: batches are written here, as before it.
    if (this.writerFailed) this.refill();
    else this.writeInBackground();
  }

  /**
   * One key, never handed out before. Makes a batch here, synchronously, only when the pool is empty (the first key
   * of a store nobody stocked ahead, a caller that did not wait for `stocked`, or a writer that failed).
   */
  take(): PooledKey {
    if (this.ready.length === 0) this.refill();
    const taken = this.ready.pop()!;
    if (this.ready.length < this.low) this.refillSoon();
    return taken;
  }

  /** On the next turn of the event loop, off the request that noticed the pool running low. */
  private refillSoon(): void {
    if (this.refillScheduled || this.inFlight || this.closed) return;
    this.refillScheduled = true;
    setImmediate(() => {
      this.refillScheduled = false;
      this.stockAhead();
    });
  }

  /** A batch made and wrapped here, written by the worker; its keys join the pool only once committed. */
  private writeInBackground(): void {
    this.inFlight = this.makeAndWrite().finally(() => {
      this.inFlight = undefined;
      if (this.ready.length < this.low) this.refillSoon();
    });
  }

  /**
   * Makes and wraps the batch a slice at a time, a turn of the event loop between slices: the engine's 512 wraps in
   * one go held every request and alert for 6 ms on average and up to 12 ms (counted in the alert-latency bench, a
   * batch every 1.3 s at 100 intakes/s), where a slice holds them under a millisecond.
   */
  private async makeAndWrite(): Promise<void> {
    const wrapper = this.wrapper();
    const made: PooledKey[] = [];
    const wrapped: Buffer[] = [];
    for (let i = 0; i < this.batch; i++) {
      if (i > 0 && i % WRAP_SLICE === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        // Closed meanwhile: nothing written, nothing handed out.
        if (this.closed) return zeroed(made);
      }
      const key = randomBytesFromPool(32);
      made.push({ generation: 0, key });
      wrapped.push(wrapper.wrap(key));
    }
    this.writer ??= new PoolWriter(this.db.name);
    const batch = { lease: this.lease, kekId: wrapper.id, createdAt: this.now().toISOString(), firstAllowed: POOL_GENERATION_BASE + 1, wrapped };
    let first: number;
    try {
      first = await this.writer.write(batch);
    } catch {
      // Not durable, so never handed out.
      this.writerFailed = true;
      return zeroed(made);
    }
    for (let i = 0; i < made.length; i++) made[i]!.generation = first + i;
    // Behind the keys left (handed out first; pop() takes from the end), lowest generation first.
    // (An array literal, not `unshift(...)`: spreading into a call's arguments overflows the stack on a large batch.)
    this.ready = [...made.reverse(), ...this.ready];
  }

  /**
   * Binds keys on the writer's thread when it runs; false when it does not (no batch written in the background yet,
   * or the thread failed), and the caller binds on its own connection. A binding that fails there is not retried
   * there: the thread is given up, as for a batch.
   */
  async bindInBackground(bindings: PoolBindings): Promise<boolean> {
    if (!this.writesInBackground || this.closed) return false;
    try {
      await this.writer!.bind(bindings);
      return true;
    } catch {
      this.writerFailed = true;
      return false;
    }
  }

  /** Creates a batch in one durable transaction (IMMEDIATE: another process's batch cannot take the same numbers). */
  refill(count = this.batch): void {
    const wrapper = this.wrapper();
    const createdAt = this.now().toISOString();
    const made: PooledKey[] = [];
    this.db
      .transaction(() => {
        const first = Math.max(this.statements.next.get()?.next ?? 0, POOL_GENERATION_BASE + 1);
        for (let i = 0; i < count; i++) {
          const key = randomBytesFromPool(32);
          this.statements.insert.run(first + i, this.lease, wrapper.wrap(key), wrapper.id, createdAt);
          made.push({ generation: first + i, key });
        }
        this.statements.saveNext.run(first + count);
      })
      .immediate();
    // Handed out newest last: pop() takes from the end. A loop, not a spread: a large refill would overflow the stack.
    for (let i = made.length - 1; i >= 0; i--) this.ready.push(made[i]!);
  }

  /** Waits for a batch in flight, deletes the keys never handed out (secure_delete overwrites them) and stops refilling. */
  async close(): Promise<void> {
    this.closed = true;
    await this.inFlight;
    await this.writer?.stop();
    if (this.ready.length === 0 || !this.db.open) return;
    const remove = this.db.prepare('DELETE FROM pool_keys WHERE generation = ? AND lease = ? AND referral_id IS NULL');
    this.db.transaction(() => {
      for (const { generation } of this.ready) remove.run(generation, this.lease);
    })();
    this.ready.length = 0;
  }
}
