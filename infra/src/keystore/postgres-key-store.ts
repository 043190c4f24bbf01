/**
 * The shared key store (HRU_KEY_STORE_URL): data keys wrapped by the KEK in a PostgreSQL database, so that engine
 * processes on several hosts (API nodes, workers) seal and open personal data with the same keys. The embedded store
 * (`keys.sqlite`) is per data dir, hence per host; this one is the same design over a network database: keys created
 * ahead in a pool (postgres-key-pool.ts), bound to their subjects when the log is read (`bindKeys`), destroyed by
 * erasure and disposal, unwrapped keys cached in memory (bounded) and evicted when a key is destroyed here or when the
 * KeyLogFollower reads its erasure from the log.
 *
 * What a network database changes for erasure: PostgreSQL keeps an updated row's old version until VACUUM reclaims it,
 * and its WAL and base backups keep what they kept, so a destroyed key's wrapped bytes may survive on disk for a while.
 * They are wrapped under the KEK (HRU_MASTER_KEY, or a KMS key: key-wrapper.ts), never stored here; a destruction is
 * followed by a VACUUM of the two key tables, and backups of this database need a retention shorter than erasures
 * allow, as for `keys.sqlite`.
 */
import pg from 'pg';
import { UnavailableError } from '@hru/events';
import { POOL_GENERATION_BASE, parseKeyId, type CurrentKeysOptions, type DataKey, type KeyStore } from '@hru/application';
import { bindingsOf, KeyCache, parseSubject } from './key-cache.js';
import type { KeyWrapper } from './key-wrapper.js';
import type { KeyPoolOptions } from './key-pool.js';
import { PostgresKeyPool } from './postgres-key-pool.js';

/** The tables (the embedded store's, key-store-schema.ts, in PostgreSQL types). */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hru_data_keys (
    subject      TEXT   NOT NULL,
    generation   BIGINT NOT NULL,
    party_id     TEXT,
    referral_id  TEXT   NOT NULL,
    wrapped      BYTEA,
    kek_id       TEXT,
    created_at   TEXT   NOT NULL,
    destroyed_at TEXT,
    PRIMARY KEY (subject, generation)
  );
  CREATE INDEX IF NOT EXISTS hru_data_keys_by_party ON hru_data_keys (party_id) WHERE party_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS hru_data_keys_by_case ON hru_data_keys (referral_id);
  CREATE TABLE IF NOT EXISTS hru_pool_keys (
    generation   BIGINT PRIMARY KEY,
    lease        TEXT   NOT NULL,
    subject      TEXT,
    party_id     TEXT,
    referral_id  TEXT,
    wrapped      BYTEA,
    kek_id       TEXT,
    created_at   TEXT   NOT NULL,
    destroyed_at TEXT
  );
  CREATE INDEX IF NOT EXISTS hru_pool_keys_by_party ON hru_pool_keys (party_id) WHERE party_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS hru_pool_keys_by_case ON hru_pool_keys (referral_id) WHERE referral_id IS NOT NULL;
  CREATE SEQUENCE IF NOT EXISTS hru_pool_generation START WITH ${POOL_GENERATION_BASE + 1};
  CREATE TABLE IF NOT EXISTS hru_key_log_checkpoint (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position NUMERIC NOT NULL
  );
`;

/**
 * A lost or refused connection is the key store being unavailable (503, retried by the source), not a fault of the
 * request: SQLSTATE class 08 (connection exception), 57P01–57P03 (shut down, restarting) and socket errors.
 */
export function keyStoreUnavailable(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const connection = typeof code === 'string' && (code.startsWith('08') || /^57P0[123]$/.test(code) || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|HOSTUNREACH|AI_AGAIN)$/.test(code));
  const ended = error instanceof Error && /Connection terminated|timeout exceeded when trying to connect/.test(error.message);
  return connection || ended ? new UnavailableError('the key store is unavailable', { cause: error }) : error;
}

/** A pool whose every query turns a connection failure into UnavailableError. */
function guarded(db: pg.Pool): Pick<pg.Pool, 'query'> {
  return { query: ((...args: Parameters<pg.Pool['query']>) => (db.query as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => Promise.reject(keyStoreUnavailable(error)))) as pg.Pool['query'] };
}

interface KeyRow {
  subject: string;
  generation: string;
  wrapped: Buffer | null;
  kek_id: string | null;
}


export interface PostgresKeyStoreOptions {
  /** Unwrapped keys kept in memory (default 20,000). */
  cacheSize?: number;
  now?: () => Date;
  pool?: KeyPoolOptions;
  /** Connections to the database (default 4). */
  connections?: number;
}

export class PostgresKeyStore implements KeyStore {
  private readonly cache: KeyCache;
  private readonly now: () => Date;
  private readonly pool: PostgresKeyPool;
  /** `db` with connection failures as UnavailableError. */
  private readonly q: Pick<pg.Pool, 'query'>;

  private constructor(
    private readonly db: pg.Pool,
    private readonly wrappers: Map<string, KeyWrapper>,
    options: PostgresKeyStoreOptions,
  ) {
    this.cache = new KeyCache(options.cacheSize);
    this.now = options.now ?? (() => new Date());
    this.q = guarded(db);
    this.pool = new PostgresKeyPool(this.q, () => this.wrapper, this.now, options.pool);
  }

  /**
   * Connects, creates the tables if they are missing, and re-wraps under the first wrapper whatever an older one still
   * wraps (a KEK rotation rewrites this database, never the log).
   */
  static async open(url: string, wrappers: readonly [KeyWrapper, ...KeyWrapper[]], options: PostgresKeyStoreOptions = {}): Promise<PostgresKeyStore> {
    const db = new pg.Pool({ connectionString: url, max: options.connections ?? 4 });
    db.on('error', () => undefined); // an idle connection dropped by the server: the next query opens another
    try {
      // Two processes starting at once must not both create the tables: one waits for the other's lock.
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('hru_key_store_schema'))`);
        await client.query(SCHEMA);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      const store = new PostgresKeyStore(db, new Map(wrappers.map((w) => [w.id, w])), options);
      await store.rewrapUnder(wrappers[0]);
      return store;
    } catch (error) {
      await db.end();
      throw error;
    }
  }

  private get wrapper(): KeyWrapper {
    return this.wrappers.values().next().value!;
  }

  private unwrap(row: Pick<KeyRow, 'subject' | 'generation' | 'wrapped' | 'kek_id'>): Buffer {
    const wrapper = this.wrappers.get(row.kek_id ?? '');
    if (!wrapper) throw new Error(`data key ${row.subject}#${row.generation} is wrapped by ${row.kek_id}, which is not configured (set HRU_MASTER_KEY_PREVIOUS?)`);
    return wrapper.unwrap(row.wrapped!);
  }

  /** Runs `work` in one transaction on one connection. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.db.connect().catch((error: unknown) => Promise.reject(keyStoreUnavailable(error)));
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw keyStoreUnavailable(error);
    } finally {
      client.release();
    }
  }

  /** Re-wraps every live key not under `target`, in one transaction; returns how many. */
  async rewrapUnder(target: KeyWrapper): Promise<number> {
    return this.transaction(async (client) => {
      const stale = await client.query<KeyRow & { pooled: boolean }>(
        `SELECT subject, generation::text, wrapped, kek_id, false AS pooled FROM hru_data_keys WHERE wrapped IS NOT NULL AND kek_id <> $1
         UNION ALL SELECT coalesce(subject, ''), generation::text, wrapped, kek_id, true FROM hru_pool_keys WHERE wrapped IS NOT NULL AND kek_id <> $1`,
        [target.id],
      );
      for (const row of stale.rows) {
        const wrapped = target.wrap(this.unwrap(row));
        if (row.pooled) await client.query('UPDATE hru_pool_keys SET wrapped = $1, kek_id = $2 WHERE generation = $3', [wrapped, target.id, row.generation]);
        else await client.query('UPDATE hru_data_keys SET wrapped = $1, kek_id = $2 WHERE subject = $3 AND generation = $4', [wrapped, target.id, row.subject, row.generation]);
      }
      return stale.rows.length;
    });
  }

  async currentKeys(subjects: readonly string[], options: CurrentKeysOptions = {}): Promise<Map<string, DataKey>> {
    const { keys, missing } = this.cache.currentOf(subjects);
    if (missing.length === 0) return keys;
    // The keys bound so far to the cases concerned, in one query (an intake's three subjects share one case).
    const latest = new Map<string, KeyRow>();
    const cases = [...new Set(missing.filter((subject) => !options.unseen?.has(subject)).map((subject) => parseSubject(subject).referralId))];
    if (cases.length > 0) {
      const { rows } = await this.q.query<KeyRow>(
        `SELECT subject, generation::text, wrapped, kek_id FROM hru_data_keys WHERE referral_id = ANY($1::text[])
         UNION ALL SELECT subject, generation::text, wrapped, kek_id FROM hru_pool_keys WHERE referral_id = ANY($1::text[])`,
        [cases],
      );
      for (const row of rows) if (Number(latest.get(row.subject)?.generation ?? 0) < Number(row.generation)) latest.set(row.subject, row);
    }
    for (const subject of missing) keys.set(subject, await this.keyFor(subject, latest.get(subject)));
    return keys;
  }

  private async keyFor(subject: string, row: KeyRow | undefined): Promise<DataKey> {
    let id: string;
    let key: Buffer;
    if (row && row.wrapped !== null) {
      id = `${subject}#${row.generation}`;
      key = this.cache.key(id) ?? this.unwrap(row);
    } else {
      const pooled = await this.pool.take();
      id = `${subject}#${pooled.generation}`;
      key = pooled.key;
    }
    this.cache.remember(id, key, subject);
    return { id, key };
  }

  stockAhead(): void {
    this.pool.stockAhead();
  }

  get pooled(): number {
    return this.pool.size;
  }

  refillPool(count?: number): Promise<void> {
    return this.pool.refill(count);
  }

  async keysById(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const pooled: { id: string; subject: string; generation: number }[] = [];
    const counted: { id: string; subject: string; generation: number }[] = [];
    for (const id of ids) {
      const cached = this.cache.key(id);
      if (cached) {
        found.set(id, cached);
        continue;
      }
      const parsed = parseKeyId(id);
      if (!parsed) continue;
      (parsed.generation > POOL_GENERATION_BASE ? pooled : counted).push({ id, ...parsed });
    }
    const remember = (id: string, row: KeyRow) => {
      const key = this.unwrap(row);
      this.cache.remember(id, key);
      found.set(id, key);
    };
    if (pooled.length > 0) {
      const { rows } = await this.q.query<KeyRow>('SELECT subject, generation::text, wrapped, kek_id FROM hru_pool_keys WHERE generation = ANY($1::bigint[]) AND wrapped IS NOT NULL', [
        pooled.map((p) => p.generation),
      ]);
      const byGeneration = new Map(rows.map((r) => [Number(r.generation), r]));
      for (const p of pooled) {
        const row = byGeneration.get(p.generation);
        // Bound or not yet: a key bound to another subject is not this id's key.
        if (row && (row.subject === null || row.subject === p.subject)) remember(p.id, { ...row, subject: p.subject });
      }
    }
    if (counted.length > 0) {
      const { rows } = await this.q.query<KeyRow>(
        `SELECT d.subject, d.generation::text, d.wrapped, d.kek_id FROM hru_data_keys d
         JOIN unnest($1::text[], $2::bigint[]) AS k(subject, generation) ON d.subject = k.subject AND d.generation = k.generation
         WHERE d.wrapped IS NOT NULL`,
        [counted.map((c) => c.subject), counted.map((c) => c.generation)],
      );
      for (const row of rows) remember(`${row.subject}#${row.generation}`, row);
    }
    return found;
  }

  async casesOf(partyId: string): Promise<string[]> {
    const { rows } = await this.q.query<{ referral_id: string }>(
      'SELECT referral_id FROM hru_data_keys WHERE party_id = $1 UNION SELECT referral_id FROM hru_pool_keys WHERE party_id = $1 ORDER BY referral_id',
      [partyId],
    );
    return rows.map((r) => r.referral_id);
  }

  async destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }> {
    const referralIds = await this.casesOf(partyId);
    const destroyed = await this.destroyWhere(
      `party_id = $1 OR (party_id IS NULL AND referral_id IN (SELECT referral_id FROM hru_data_keys WHERE party_id = $1 UNION SELECT referral_id FROM hru_pool_keys WHERE party_id = $1))`,
      partyId,
    );
    return { referralIds, destroyed };
  }

  async destroyCase(referralId: string): Promise<{ destroyed: number }> {
    return { destroyed: await this.destroyWhere('referral_id = $1', referralId) };
  }

  /**
   * Destroys the live keys matching `where` (on `$1`) in both tables. Every key matching it leaves this process's
   * cache, destroyed now or before: a destruction another process made reaches this one through the log, and finds
   * the rows already destroyed.
   */
  private async destroyWhere(where: string, id: string): Promise<number> {
    const at = this.now().toISOString();
    const destroyed = await this.transaction(async (client) => {
      const made = await client.query(`UPDATE hru_data_keys SET wrapped = NULL, kek_id = NULL, destroyed_at = $2 WHERE wrapped IS NOT NULL AND (${where})`, [id, at]);
      const pooled = await client.query(`UPDATE hru_pool_keys SET wrapped = NULL, kek_id = NULL, destroyed_at = $2 WHERE wrapped IS NOT NULL AND subject IS NOT NULL AND (${where})`, [id, at]);
      return (made.rowCount ?? 0) + (pooled.rowCount ?? 0);
    });
    const { rows } = await this.q.query<{ subject: string; generation: string }>(
      `SELECT subject, generation::text FROM hru_data_keys WHERE ${where} UNION ALL SELECT subject, generation::text FROM hru_pool_keys WHERE subject IS NOT NULL AND (${where})`,
      [id],
    );
    for (const row of rows) {
      this.cache.forget(row.subject, row.generation);
    }
    // The old row versions, which still hold the wrapped keys, reclaimed soon rather than on autovacuum's schedule (not
    // awaited: the erasure is done, and a vacuum of a large table takes a while).
    if (destroyed > 0) void this.q.query('VACUUM hru_data_keys, hru_pool_keys').catch(() => undefined);
    return destroyed;
  }

  async bindKeys(keyIds: readonly string[], position: bigint): Promise<void> {
    const bindings = bindingsOf(keyIds);
    await this.transaction(async (client) => {
      if (bindings.length > 0) {
        await client.query(
          `UPDATE hru_pool_keys p SET subject = b.subject, party_id = b.party_id, referral_id = b.referral_id
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS b(generation, subject, party_id, referral_id)
           WHERE p.generation = b.generation AND p.subject IS NULL`,
          [bindings.map((b) => b.generation), bindings.map((b) => b.subject), bindings.map((b) => b.partyId), bindings.map((b) => b.referralId)],
        );
      }
      // Never backwards: another process reading the same log may save an older position after this one.
      await client.query(
        `INSERT INTO hru_key_log_checkpoint (id, position) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET position = excluded.position
         WHERE excluded.position > hru_key_log_checkpoint.position`,
        [String(position)],
      );
    });
  }

  async logCheckpoint(): Promise<bigint | undefined> {
    const { rows } = await this.q.query<{ position: string }>('SELECT position::text FROM hru_key_log_checkpoint WHERE id = 1');
    return rows[0] ? BigInt(rows[0].position) : undefined;
  }

  /** How many live data keys the KEK with this id wraps. */
  async wrappedBy(kekId: string): Promise<number> {
    const { rows } = await this.q.query<{ n: string }>('SELECT ((SELECT count(*) FROM hru_data_keys WHERE kek_id = $1) + (SELECT count(*) FROM hru_pool_keys WHERE kek_id = $1))::text AS n', [kekId]);
    return Number(rows[0]!.n);
  }

  /** Counts for `hru keys status`: live and destroyed keys, and under which KEK. */
  async stats(): Promise<{ live: number; destroyed: number; byKek: Record<string, number> }> {
    const { rows } = await this.q.query<{ kek_id: string | null; n: string }>(
      'SELECT kek_id, sum(n)::text AS n FROM (SELECT kek_id, count(*) AS n FROM hru_data_keys GROUP BY kek_id UNION ALL SELECT kek_id, count(*) FROM hru_pool_keys GROUP BY kek_id) k GROUP BY kek_id',
    );
    const byKek: Record<string, number> = {};
    let live = 0;
    let destroyed = 0;
    for (const row of rows) {
      if (row.kek_id === null) destroyed += Number(row.n);
      else {
        live += Number(row.n);
        byKek[row.kek_id] = Number(row.n);
      }
    }
    return { live, destroyed, byKek };
  }

  async close(): Promise<void> {
    if (this.db.ended) return;
    await this.pool.close();
    await this.db.end();
  }
}
