/**
 * Data keys created ahead of need in the shared PostgreSQL key store: the same design as the embedded pool
 * (key-pool.ts says why an intake must not wait for a key-store commit), with generation numbers from a sequence, so
 * that processes on any number of hosts never number two keys alike, and each process handing out only the keys it
 * created (its `lease`).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { randomBytesFromPool } from '@hru/application';
import type { KeyWrapper } from './key-wrapper.js';
import type { KeyPoolOptions, PooledKey } from './key-pool.js';

export class PostgresKeyPool {
  readonly lease = randomUUID();
  private readonly ready: PooledKey[] = [];
  private refilling: Promise<void> | undefined;
  private closed = false;
  private readonly batch: number;
  private readonly low: number;

  constructor(
    private readonly db: Pick<Pool, 'query'>,
    private readonly wrapper: () => KeyWrapper,
    private readonly now: () => Date,
    options: KeyPoolOptions = {},
  ) {
    this.batch = options.batch ?? 512;
    this.low = options.low ?? Math.ceil(this.batch / 2);
  }

  get size(): number {
    return this.ready.length;
  }

  /** One key never handed out before; waits for a batch only when the pool is empty (the first intake after start). */
  async take(): Promise<PooledKey> {
    while (this.ready.length === 0) await this.refill();
    const taken = this.ready.pop()!;
    this.stockAhead();
    return taken;
  }

  /** Starts a batch now when the pool is short (key-pool.ts's `stockAhead`): the first intake then waits for none, or less. */
  stockAhead(): void {
    if (!this.closed && this.ready.length < this.low) void this.refill().catch(() => undefined);
  }

  /** Creates a batch in one transaction; concurrent callers share the refill in progress. */
  refill(count = this.batch): Promise<void> {
    this.refilling ??= this.create(count).finally(() => (this.refilling = undefined));
    return this.refilling;
  }

  private async create(count: number): Promise<void> {
    const wrapper = this.wrapper();
    const { rows } = await this.db.query<{ generation: string }>(`SELECT nextval('hru_pool_generation')::text AS generation FROM generate_series(1, $1)`, [count]);
    const made = rows.map((r) => ({ generation: Number(r.generation), key: randomBytesFromPool(32) }));
    await this.db.query(
      `INSERT INTO hru_pool_keys (generation, lease, wrapped, kek_id, created_at)
       SELECT g, $2, w, $3, $4 FROM unnest($1::bigint[], $5::bytea[]) AS k(g, w)`,
      [made.map((m) => m.generation), this.lease, wrapper.id, this.now().toISOString(), made.map((m) => wrapper.wrap(m.key))],
    );
    // Handed out newest last: pop() takes from the end. A loop, not a spread: a large refill would overflow the stack.
    for (let i = made.length - 1; i >= 0; i--) this.ready.push(made[i]!);
  }

  /** Deletes the keys never handed out and stops refilling. */
  async close(): Promise<void> {
    this.closed = true;
    await this.refilling?.catch(() => undefined);
    if (this.ready.length === 0) return;
    await this.db.query('DELETE FROM hru_pool_keys WHERE generation = ANY($1::bigint[]) AND lease = $2 AND subject IS NULL', [this.ready.map((k) => k.generation), this.lease]);
    this.ready.length = 0;
  }
}
