/**
 * The embedded key store: data keys wrapped by the KEK in their own SQLite file (`keys.sqlite`, 0600), apart from the
 * log, so that destroying a key touches one small file and never the log. `secure_delete` overwrites a destroyed
 * key's bytes in the file, and the WAL is checkpointed after each destruction so no old page keeps it either.
 * (A backup of this file holds the keys it held: keep key-file backups on a shorter retention than erasures need.)
 *
 * Unwrapped keys are cached in memory (bounded): the KEK, or a KMS, is asked once per key per process. A key
 * destroyed here is evicted at once; another process evicts it when its KeyShredder reads the erasure from the log.
 */
import type Database from 'better-sqlite3';
import { LruCache, randomBytesFromPool, type DataKey, type KeyStore } from '@hru/application';
import { openSqlite } from '../eventstore/sqlite/open.js';
import type { KeyWrapper } from './key-wrapper.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS data_keys (
    subject      TEXT    NOT NULL,            -- case:<referralId> or party:<partyId>@<referralId>
    generation   INTEGER NOT NULL,            -- a subject erased and seen again gets a new generation
    party_id     TEXT,                        -- for party subjects: erasure finds a person's keys by it
    referral_id  TEXT    NOT NULL,            -- disposal finds a case's keys by it
    wrapped      BLOB,                        -- NULL once destroyed
    kek_id       TEXT,
    created_at   TEXT    NOT NULL,
    destroyed_at TEXT,
    PRIMARY KEY (subject, generation)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS data_keys_by_party ON data_keys (party_id) WHERE party_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS data_keys_by_case ON data_keys (referral_id);
  CREATE TABLE IF NOT EXISTS shredder_checkpoint (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position TEXT NOT NULL
  );
`;

interface KeyRow {
  subject: string;
  generation: number;
  wrapped: Buffer | null;
  kek_id: string | null;
}

function parseSubject(subject: string): { partyId: string | null; referralId: string } {
  if (subject.startsWith('case:')) return { partyId: null, referralId: subject.slice('case:'.length) };
  const match = /^party:([^@]+)@(.+)$/.exec(subject);
  if (!match) throw new TypeError(`not a key subject: ${subject}`);
  return { partyId: match[1]!, referralId: match[2]! };
}

export interface SqliteKeyStoreOptions {
  /** Unwrapped keys kept in memory (default 20,000: about 1.5 MB). */
  cacheSize?: number;
  now?: () => Date;
}

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly wrappers: Map<string, KeyWrapper>;
  /** Unwrapped keys by id (`subject#generation`). */
  private readonly byId: LruCache<string, Buffer>;
  /** The current key id of each subject seen lately. */
  private readonly current: LruCache<string, string>;
  private readonly now: () => Date;
  private readonly statements: {
    latest: Database.Statement<[string], KeyRow>;
    insert: Database.Statement<[string, number, string | null, string, Buffer, string, string]>;
    byIdRow: Database.Statement<[string, number], KeyRow>;
  };
  /** Subjects whose keys the next turn of the event loop creates, and the callers waiting for them. */
  private pending:
    | { subjects: Set<string>; done: Promise<Map<string, DataKey>>; resolve(keys: Map<string, DataKey>): void; reject(error: unknown): void }
    | undefined;

  /**
   * `wrappers`: the first wraps new keys; every one unwraps the keys it wrapped. Keys still under an older one are
   * re-wrapped under the first when the store opens (a KEK rotation rewrites this file, never the log).
   */
  constructor(file: string, wrappers: readonly [KeyWrapper, ...KeyWrapper[]], options: SqliteKeyStoreOptions = {}) {
    this.db = openSqlite(file);
    this.db.pragma('secure_delete = ON');
    this.db.exec(SCHEMA);
    this.wrappers = new Map(wrappers.map((w) => [w.id, w]));
    this.byId = new LruCache(options.cacheSize ?? 20_000);
    this.current = new LruCache(options.cacheSize ?? 20_000);
    this.now = options.now ?? (() => new Date());
    this.statements = {
      latest: this.db.prepare('SELECT subject, generation, wrapped, kek_id FROM data_keys WHERE subject = ? ORDER BY generation DESC LIMIT 1'),
      insert: this.db.prepare(
        'INSERT OR IGNORE INTO data_keys (subject, generation, party_id, referral_id, wrapped, kek_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      byIdRow: this.db.prepare('SELECT subject, generation, wrapped, kek_id FROM data_keys WHERE subject = ? AND generation = ?'),
    };
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
    if (stale.length === 0) return 0;
    const update = this.db.prepare('UPDATE data_keys SET wrapped = ?, kek_id = ? WHERE subject = ? AND generation = ?');
    this.db.transaction(() => {
      for (const row of stale) update.run(target.wrap(this.unwrap(row)), target.id, row.subject, row.generation);
    })();
    return stale.length;
  }

  private unwrap(row: KeyRow): Buffer {
    const wrapper = this.wrappers.get(row.kek_id ?? '');
    if (!wrapper) throw new Error(`data key ${row.subject}#${row.generation} is wrapped by ${row.kek_id}, which is not configured (set HRU_MASTER_KEY_PREVIOUS?)`);
    return wrapper.unwrap(row.wrapped!);
  }

  async currentKeys(subjects: readonly string[]): Promise<Map<string, DataKey>> {
    const keys = new Map<string, DataKey>();
    const missing: string[] = [];
    for (const subject of subjects) {
      const id = this.current.get(subject);
      const key = id === undefined ? undefined : this.byId.get(id);
      if (id !== undefined && key) keys.set(subject, { id, key });
      else missing.push(subject);
    }
    if (missing.length === 0) return keys;
    const made = await this.createSoon(missing);
    for (const subject of missing) keys.set(subject, made.get(subject)!);
    return keys;
  }

  /**
   * Keys are created in one durable transaction per turn of the event loop, for every append that needs new keys in
   * that turn: concurrent intakes share one commit (one fsync), as the event store groups their appends.
   */
  private createSoon(subjects: readonly string[]): Promise<Map<string, DataKey>> {
    if (!this.pending) {
      let resolve!: (keys: Map<string, DataKey>) => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<Map<string, DataKey>>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      this.pending = { subjects: new Set(), done, resolve, reject };
      setImmediate(() => this.createPending());
    }
    for (const subject of subjects) this.pending.subjects.add(subject);
    return this.pending.done;
  }

  private createPending(): void {
    const batch = this.pending!;
    this.pending = undefined;
    try {
      batch.resolve(this.create([...batch.subjects]));
    } catch (error) {
      batch.reject(error);
    }
  }

  private create(subjects: readonly string[]): Map<string, DataKey> {
    const made = new Map<string, DataKey>();
    // One transaction (one fsync) for every key of the batch: committed before the events are written.
    this.db.transaction(() => {
      for (const subject of subjects) {
        let row = this.statements.latest.get(subject);
        let fresh: Buffer | undefined;
        if (!row || row.wrapped === null) {
          const { partyId, referralId } = parseSubject(subject);
          const generation = (row?.generation ?? 0) + 1;
          fresh = randomBytesFromPool(32);
          const inserted = this.statements.insert.run(subject, generation, partyId, referralId, this.wrapper.wrap(fresh), this.wrapper.id, this.now().toISOString());
          if (inserted.changes === 1) row = { subject, generation, wrapped: null, kek_id: this.wrapper.id };
          else {
            // Another process created this generation first: its key is the one.
            fresh = undefined;
            row = this.statements.latest.get(subject)!;
          }
        }
        const id = `${subject}#${row.generation}`;
        const key = fresh ?? this.byId.get(id) ?? this.unwrap(row);
        this.byId.set(id, key);
        this.current.set(subject, id);
        made.set(subject, { id, key });
      }
    })();
    return made;
  }

  async keysById(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const read = this.statements.byIdRow;
    for (const id of ids) {
      const cached = this.byId.get(id);
      if (cached) {
        found.set(id, cached);
        continue;
      }
      const hash = id.lastIndexOf('#');
      const row = hash > 0 ? read.get(id.slice(0, hash), Number(id.slice(hash + 1))) : undefined;
      if (!row || row.wrapped === null) continue;
      const key = this.unwrap(row);
      this.byId.set(id, key);
      found.set(id, key);
    }
    return found;
  }

  async casesOf(partyId: string): Promise<string[]> {
    return this.db
      .prepare<[string], { referral_id: string }>('SELECT DISTINCT referral_id FROM data_keys WHERE party_id = ? ORDER BY referral_id')
      .all(partyId)
      .map((r) => r.referral_id);
  }

  async destroyPerson(partyId: string): Promise<{ referralIds: string[]; destroyed: number }> {
    const referralIds = await this.casesOf(partyId);
    const destroyed = this.destroyWhere(
      `party_id = ? OR (party_id IS NULL AND referral_id IN (SELECT referral_id FROM data_keys WHERE party_id = ?))`,
      [partyId, partyId],
    );
    return { referralIds, destroyed };
  }

  async destroyCase(referralId: string): Promise<{ destroyed: number }> {
    return { destroyed: this.destroyWhere('referral_id = ?', [referralId]) };
  }

  private destroyWhere(where: string, params: string[]): number {
    const doomed = this.db
      .prepare<string[], { subject: string; generation: number }>(`SELECT subject, generation FROM data_keys WHERE wrapped IS NOT NULL AND (${where})`)
      .all(...params);
    if (doomed.length === 0) return 0;
    const destroy = this.db.prepare('UPDATE data_keys SET wrapped = NULL, kek_id = NULL, destroyed_at = ? WHERE subject = ? AND generation = ?');
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const row of doomed) destroy.run(at, row.subject, row.generation);
    })();
    for (const row of doomed) {
      this.byId.delete(`${row.subject}#${row.generation}`);
      this.current.delete(row.subject);
    }
    // Out of the WAL too: a destroyed key must not survive in an old page version.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return doomed.length;
  }

  async shredderCheckpoint(): Promise<bigint | undefined> {
    const row = this.db.prepare<[], { position: string }>('SELECT position FROM shredder_checkpoint WHERE id = 1').get();
    return row ? BigInt(row.position) : undefined;
  }

  async saveShredderCheckpoint(position: bigint): Promise<void> {
    this.db.prepare('INSERT INTO shredder_checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position').run(String(position));
  }

  /** How many live data keys the KEK with this id wraps. */
  wrappedBy(kekId: string): number {
    return this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM data_keys WHERE kek_id = ?').get(kekId)!.n;
  }

  /** Counts for `hru keys status` and the metrics: live and destroyed keys, and under which KEK. */
  stats(): { live: number; destroyed: number; byKek: Record<string, number> } {
    const rows = this.db
      .prepare<[], { kek_id: string | null; n: number }>('SELECT kek_id, COUNT(*) AS n FROM data_keys GROUP BY kek_id')
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
    if (this.db.open) this.db.close();
  }
}
