/**
 * The embedded key store: data keys wrapped by the KEK in their own SQLite file (`keys.sqlite`, 0600), apart from the
 * log, so that destroying a key touches one small file and never the log. `secure_delete` overwrites a destroyed
 * key's bytes in the file, and the WAL is checkpointed after each destruction so no old page keeps it either.
 * (A backup of this file holds the keys it held: keep key-file backups on a shorter retention than erasures need.)
 *
 * New keys come from a pool this process creates ahead, in large durable batches off the request path (key-pool.ts
 * says why), so an intake never waits for a key-store commit; a key handed out is bound to its subject when the log
 * is read (`bindKeys`, from the KeyLogFollower).
 *
 * Unwrapped keys are cached in memory (bounded): the KEK, or a KMS, is asked once per key per process. A key
 * destroyed here is evicted at once; another process evicts it when its KeyLogFollower reads the erasure from the log.
 */
import type Database from 'better-sqlite3';
import { POOL_GENERATION_BASE, parseKeyId, type CurrentKeysOptions, type DataKey, type KeyStore } from '@hru/application';
import { bindingsOf, KeyCache, parseSubject } from './key-cache.js';
import { openSqlite } from '../eventstore/sqlite/open.js';
import { startWalCheckpointer, type WalCheckpointer } from '../eventstore/sqlite/wal-checkpointer.js';
import type { KeyWrapper } from './key-wrapper.js';
import { KeyPool, type KeyPoolOptions } from './key-pool.js';
import { BIND_POOL_KEY, KEY_STORE_SCHEMA, POOL_SUBJECT, SAVE_LOG_CHECKPOINT } from './key-store-schema.js';


interface KeyRow {
  subject: string;
  generation: number;
  wrapped: Buffer | null;
  kek_id: string | null;
}


export interface SqliteKeyStoreOptions {
  /** Unwrapped keys kept in memory (default 20,000: about 1.5 MB). */
  cacheSize?: number;
  now?: () => Date;
  /** The pool of keys created ahead (key-pool.ts). */
  pool?: KeyPoolOptions;
}

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly wrappers: Map<string, KeyWrapper>;
  private readonly cache: KeyCache;
  private readonly now: () => Date;
  private readonly statements: {
    ofCase: Database.Statement<[{ id: string }], KeyRow>;
    byIdRow: Database.Statement<[string, number], KeyRow>;
    pooled: Database.Statement<[number], { subject: string | null; wrapped: Buffer | null; kek_id: string | null }>;
    bind: Database.Statement<[string | null, string, number]>;
    saveCheckpoint: Database.Statement<[string]>;
  };
  private readonly pool: KeyPool;
  /**
   * This file's WAL checkpoints on a worker thread, from the first binding on (an engine's key log follower; a short
   * CLI command starts none). Bindings dirty an index page or two per key, so their commits pushed the WAL past
   * SQLite's automatic threshold every thousand keys or so, and that commit then copied the pages back and fsynced the
   * file on the event loop (wal-checkpointer.ts says why and how). A destruction still checkpoints at once, here.
   */
  private checkpointer: WalCheckpointer | undefined;

  /**
   * `wrappers`: the first wraps new keys; every one unwraps the keys it wrapped. Keys still under an older one are
   * re-wrapped under the first when the store opens (a KEK rotation rewrites this file, never the log).
   */
  constructor(file: string, wrappers: readonly [KeyWrapper, ...KeyWrapper[]], options: SqliteKeyStoreOptions = {}) {
    this.db = openSqlite(file);
    this.db.pragma('secure_delete = ON');
    this.db.exec(KEY_STORE_SCHEMA);
    this.wrappers = new Map(wrappers.map((w) => [w.id, w]));
    this.cache = new KeyCache(options.cacheSize);
    this.now = options.now ?? (() => new Date());
    this.statements = {
      ofCase: this.db.prepare(
        `SELECT subject, generation, wrapped, kek_id FROM data_keys WHERE referral_id = @id UNION ALL SELECT ${POOL_SUBJECT}, generation, wrapped, kek_id FROM pool_keys WHERE referral_id = @id`,
      ),
      byIdRow: this.db.prepare('SELECT subject, generation, wrapped, kek_id FROM data_keys WHERE subject = ? AND generation = ?'),
      pooled: this.db.prepare(`SELECT ${POOL_SUBJECT} AS subject, wrapped, kek_id FROM pool_keys WHERE generation = ?`),
      bind: this.db.prepare(BIND_POOL_KEY),
      saveCheckpoint: this.db.prepare(SAVE_LOG_CHECKPOINT),
    };
    this.pool = new KeyPool(this.db, () => this.wrapper, this.now, options.pool);
    this.rewrapUnder(wrappers[0]);
  }

  private get wrapper(): KeyWrapper {
    return this.wrappers.values().next().value!;
  }

  /** Re-wraps every live key not under `target`; returns how many. One transaction: all or none. */
  rewrapUnder(target: KeyWrapper): number {
    const stale = this.db
      .prepare<[string], KeyRow>('SELECT subject, generation, wrapped, kek_id FROM data_keys WHERE wrapped IS NOT NULL AND kek_id <> ?')
      .all(target.id);
    const pooled = this.db
      .prepare<[string], KeyRow>(`SELECT coalesce(${POOL_SUBJECT}, '') AS subject, generation, wrapped, kek_id FROM pool_keys WHERE wrapped IS NOT NULL AND kek_id <> ?`)
      .all(target.id);
    if (stale.length + pooled.length === 0) return 0;
    const update = this.db.prepare('UPDATE data_keys SET wrapped = ?, kek_id = ? WHERE subject = ? AND generation = ?');
    const updatePooled = this.db.prepare('UPDATE pool_keys SET wrapped = ?, kek_id = ? WHERE generation = ?');
    this.db.transaction(() => {
      for (const row of stale) update.run(target.wrap(this.unwrap(row)), target.id, row.subject, row.generation);
      for (const row of pooled) updatePooled.run(target.wrap(this.unwrap(row)), target.id, row.generation);
    })();
    return stale.length + pooled.length;
  }

  private unwrap(row: KeyRow): Buffer {
    const wrapper = this.wrappers.get(row.kek_id ?? '');
    if (!wrapper) throw new Error(`data key ${row.subject}#${row.generation} is wrapped by ${row.kek_id}, which is not configured (set HRU_MASTER_KEY_PREVIOUS?)`);
    return wrapper.unwrap(row.wrapped!);
  }

  async currentKeys(subjects: readonly string[], options: CurrentKeysOptions = {}): Promise<Map<string, DataKey>> {
    // Before anything is read: what follows runs without a pause, so no erasure can come between the reads and the
    // keys handed out. Waits only when the pool is short with a batch in flight.
    if (this.pool.size < subjects.length) await this.pool.stocked(subjects.length);
    const { keys, missing } = this.cache.currentOf(subjects);
    if (missing.length === 0) return keys;
    // The keys bound so far to the cases concerned, one indexed read per case (an intake's three subjects share one).
    const latest = new Map<string, KeyRow>();
    const cases = new Set(missing.filter((subject) => !options.unseen?.has(subject)).map((subject) => parseSubject(subject).referralId));
    for (const referralId of cases) {
      for (const row of this.statements.ofCase.all({ id: referralId })) {
        if ((latest.get(row.subject)?.generation ?? 0) < row.generation) latest.set(row.subject, row);
      }
    }
    for (const subject of missing) keys.set(subject, this.keyFor(subject, latest.get(subject)));
    return keys;
  }

  /** The subject's live bound key (from an earlier process), or else one from the pool (bound when the log is read). */
  private keyFor(subject: string, row: KeyRow | undefined): DataKey {
    let id: string;
    let key: Buffer;
    if (row && row.wrapped !== null) {
      id = `${subject}#${row.generation}`;
      key = this.cache.key(id) ?? this.unwrap(row);
    } else {
      const pooled = this.pool.take();
      id = `${subject}#${pooled.generation}`;
      key = pooled.key;
    }
    this.cache.remember(id, key, subject);
    return { id, key };
  }

  stockAhead(): void {
    this.pool.stockAhead();
  }

  /** Keys ready in the pool (tests and `hru keys status`). */
  get pooled(): number {
    return this.pool.size;
  }

  /** The pool as it stands once any batch written in the background is in (tests). */
  async poolSettled(): Promise<{ pooled: number; inBackground: boolean }> {
    await this.pool.settled();
    return { pooled: this.pool.size, inBackground: this.pool.writesInBackground };
  }

  /** Fills the pool now (tests; the store fills it by itself when it runs low). */
  refillPool(count?: number): void {
    this.pool.refill(count);
  }

  async keysById(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const read = this.statements.byIdRow;
    for (const id of ids) {
      const cached = this.cache.key(id);
      if (cached) {
        found.set(id, cached);
        continue;
      }
      const parsed = parseKeyId(id);
      if (!parsed) continue;
      let row: KeyRow | undefined;
      if (parsed.generation > POOL_GENERATION_BASE) {
        const pooled = this.statements.pooled.get(parsed.generation);
        // Bound or not yet: a key bound to another subject is not this id's key.
        if (pooled && (pooled.subject === null || pooled.subject === parsed.subject)) row = { ...pooled, subject: parsed.subject, generation: parsed.generation };
      } else {
        row = read.get(parsed.subject, parsed.generation);
      }
      if (!row || row.wrapped === null) continue;
      const key = this.unwrap(row);
      this.cache.remember(id, key);
      found.set(id, key);
    }
    return found;
  }

  async casesOf(partyId: string): Promise<string[]> {
    return this.db
      .prepare<[{ id: string }], { referral_id: string }>(
        'SELECT referral_id FROM data_keys WHERE party_id = @id UNION SELECT referral_id FROM pool_keys WHERE party_id = @id ORDER BY referral_id',
      )
      .all({ id: partyId })
      .map((r) => r.referral_id);
  }

  async destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }> {
    const referralIds = await this.casesOf(partyId);
    const destroyed = this.destroyWhere(
      `party_id = @id OR (party_id IS NULL AND referral_id IN (SELECT referral_id FROM data_keys WHERE party_id = @id UNION SELECT referral_id FROM pool_keys WHERE party_id = @id))`,
      partyId,
    );
    return { referralIds, destroyed };
  }

  async destroyCase(referralId: string): Promise<{ destroyed: number }> {
    return { destroyed: this.destroyWhere('referral_id = @id', referralId) };
  }

  /**
   * Destroys the live keys matching `where` (on `@id`) in both tables (keys made one by one, and keys from the pool),
   * and drops every key matching it from this process's caches, live or not: when another process has destroyed them
   * first (its erasure, read here from the log), the rows are already gone but this cache may still hold them.
   */
  private destroyWhere(where: string, id: string): number {
    const matching = this.db
      .prepare<[{ id: string }], { subject: string; generation: number; pooled: number; live: number }>(
        `SELECT subject, generation, 0 AS pooled, wrapped IS NOT NULL AS live FROM data_keys WHERE (${where})
         UNION ALL SELECT ${POOL_SUBJECT}, generation, 1, wrapped IS NOT NULL FROM pool_keys WHERE referral_id IS NOT NULL AND (${where})`,
      )
      .all({ id });
    for (const row of matching) {
      this.cache.forget(row.subject, row.generation);
    }
    const doomed = matching.filter((row) => row.live);
    if (doomed.length === 0) return 0;
    const destroy = this.db.prepare('UPDATE data_keys SET wrapped = NULL, kek_id = NULL, destroyed_at = ? WHERE subject = ? AND generation = ?');
    const destroyPooled = this.db.prepare('UPDATE pool_keys SET wrapped = NULL, kek_id = NULL, destroyed_at = ? WHERE generation = ?');
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const row of doomed) {
        if (row.pooled) destroyPooled.run(at, row.generation);
        else destroy.run(at, row.subject, row.generation);
      }
    })();
    // Out of the WAL too: a destroyed key must not survive in an old page version.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return doomed.length;
  }

  async bindKeys(keyIds: readonly string[], position: bigint): Promise<void> {
    const bindings = bindingsOf(keyIds);
    if (!this.checkpointer && !this.db.memory) this.checkpointer = startWalCheckpointer(this.db);
    // On the pool writer's thread when it runs (pool-writer.ts): off the event loop that serves requests and alerts.
    const columns = {
      parties: bindings.map((b) => b.partyId),
      referrals: bindings.map((b) => b.referralId),
      generations: bindings.map((b) => b.generation),
      position: String(position),
    };
    if (await this.pool.bindInBackground(columns)) return;
    // Not synced: a binding lost in a power cut is lost with its checkpoint, and read again from the log. The next
    // durable commit here (a destruction, a pool batch) syncs it with itself.
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(() => {
        for (const b of bindings) this.statements.bind.run(b.partyId, b.referralId, b.generation);
        this.statements.saveCheckpoint.run(columns.position);
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  async logCheckpoint(): Promise<bigint | undefined> {
    const row = this.db.prepare<[], { position: string }>('SELECT position FROM shredder_checkpoint WHERE id = 1').get();
    return row ? BigInt(row.position) : undefined;
  }

  /** How many live data keys the KEK with this id wraps. */
  wrappedBy(kekId: string): number {
    return this.db
      .prepare<[string, string], { n: number }>('SELECT (SELECT COUNT(*) FROM data_keys WHERE kek_id = ?) + (SELECT COUNT(*) FROM pool_keys WHERE kek_id = ?) AS n')
      .get(kekId, kekId)!.n;
  }

  /**
   * Counts for `hru keys status` and the metrics: live and destroyed keys, and under which KEK. Live counts keys
   * handed out and not yet bound too (a closed store has deleted those it never handed out).
   */
  stats(): { live: number; destroyed: number; byKek: Record<string, number> } {
    const rows = this.db
      .prepare<[], { kek_id: string | null; n: number }>(
        'SELECT kek_id, SUM(n) AS n FROM (SELECT kek_id, COUNT(*) AS n FROM data_keys GROUP BY kek_id UNION ALL SELECT kek_id, COUNT(*) FROM pool_keys GROUP BY kek_id) GROUP BY kek_id',
      )
      .all();
    const byKek: Record<string, number> = {};
    let live = 0;
    let destroyed = 0;
    for (const row of rows) {
      if (row.kek_id === null) destroyed += row.n;
      else {
        live += row.n;
        byKek[row.kek_id] = row.n;
      }
    }
    return { live, destroyed, byKek };
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.pool.close();
    await this.checkpointer?.stop();
    this.db.close();
  }
}
