/**
 * `hru keys copy --to postgres://…`: the embedded key store (`keys.sqlite`) copied into the shared one, for a
 * deployment moving from one host to several (its log goes to KurrentDB with `hru migrate`). Rows are copied as they
 * are: wrapped keys stay wrapped under the same KEK (nothing is unwrapped here), destroyed keys stay destroyed, the log
 * checkpoint comes along, and the target's generation sequence moves past every pool key copied. Idempotent: a row
 * already in the target is left as it is, so a copy can be run again after an interruption.
 */
import pg from 'pg';
import { openSqlite } from '../eventstore/sqlite/open.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import type { KeyWrapper } from './key-wrapper.js';
import { POOL_SUBJECT } from './key-store-schema.js';

export interface KeyCopyReport {
  keys: number;
  pooled: number;
  destroyed: number;
  checkpoint: string | undefined;
}

interface Row {
  subject: string | null;
  generation: number;
  party_id: string | null;
  referral_id: string | null;
  wrapped: Buffer | null;
  kek_id: string | null;
  created_at: string;
  destroyed_at: string | null;
  lease?: string;
}

export async function copyKeysToPostgres(sqliteFile: string, url: string, wrappers: readonly [KeyWrapper, ...KeyWrapper[]]): Promise<KeyCopyReport> {
  // Opening the target creates its tables (and re-wraps nothing yet: it is empty or holds earlier copies).
  await (await PostgresKeyStore.open(url, wrappers)).close();
  const source = openSqlite(sqliteFile, { readonly: true });
  const target = new pg.Client({ connectionString: url });
  await target.connect();
  try {
    const made = source.prepare('SELECT subject, generation, party_id, referral_id, wrapped, kek_id, created_at, destroyed_at FROM data_keys').all() as Row[];
    const pooled = source.prepare(`SELECT ${POOL_SUBJECT} AS subject, generation, party_id, referral_id, wrapped, kek_id, created_at, destroyed_at, lease FROM pool_keys`).all() as Row[];
    const checkpoint = (source.prepare('SELECT position FROM shredder_checkpoint WHERE id = 1').get() as { position: string } | undefined)?.position;
    const column = <K extends keyof Row>(rows: Row[], key: K) => rows.map((r) => r[key] ?? null);
    await target.query('BEGIN');
    await target.query(
      `INSERT INTO hru_data_keys (subject, generation, party_id, referral_id, wrapped, kek_id, created_at, destroyed_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[]) ON CONFLICT DO NOTHING`,
      ['subject', 'generation', 'party_id', 'referral_id', 'wrapped', 'kek_id', 'created_at', 'destroyed_at'].map((k) => column(made, k as keyof Row)),
    );
    await target.query(
      `INSERT INTO hru_pool_keys (subject, generation, party_id, referral_id, wrapped, kek_id, created_at, destroyed_at, lease)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[], $9::text[]) ON CONFLICT DO NOTHING`,
      ['subject', 'generation', 'party_id', 'referral_id', 'wrapped', 'kek_id', 'created_at', 'destroyed_at', 'lease'].map((k) => column(pooled, k as keyof Row)),
    );
    if (checkpoint !== undefined) {
      await target.query(
        `INSERT INTO hru_key_log_checkpoint (id, position) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET position = excluded.position WHERE excluded.position > hru_key_log_checkpoint.position`,
        [checkpoint],
      );
    }
    // New keys must never take a generation a copied key has.
    await target.query(`SELECT setval('hru_pool_generation', greatest((SELECT coalesce(max(generation), 0) FROM hru_pool_keys), (SELECT last_value FROM hru_pool_generation)))`);
    await target.query('COMMIT');
    return {
      keys: made.length + pooled.length,
      pooled: pooled.length,
      destroyed: [...made, ...pooled].filter((r) => r.wrapped === null).length,
      checkpoint,
    };
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await target.end();
    source.close();
  }
}
