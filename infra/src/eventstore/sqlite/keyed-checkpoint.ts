/**
 * Migration 3: the chains become keyed (HMAC-SHA256, see chain.ts). Events already chained keep their
 * unkeyed links, because rewriting them with the key would bless whatever was done to them before; instead
 * a keyed checkpoint is taken over them: the log digest of their hashes, its event count and the first
 * keyed position, MACed with the key. A forger without the key can then neither change those events (the
 * digest moves) nor move the boundary to pass keyed events off as unkeyed (the MAC covers it). The digest
 * is taken over the stored hashes, which equal the recomputed ones the verifier digests when nothing changed.
 */
import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ChainKey } from '../../audit/integrity/chain.js';
import { chainKeyId } from '../../audit/integrity/chain-key.js';
import { LogDigest } from '../../audit/integrity/log-digest.js';

export interface KeyedCheckpoint {
  /** The first position chained with the key; every event before it has an unkeyed link. */
  keyedFrom: number;
  events: number;
  digest: string;
  keyId: string;
  mac: string;
}

export const keyedCheckpointSql = `
  CREATE TABLE chain_checkpoint (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    keyed_from INTEGER NOT NULL,
    events     INTEGER NOT NULL,
    digest     TEXT    NOT NULL,
    key_id     TEXT    NOT NULL,
    mac        TEXT    NOT NULL
  );
`;

export function checkpointMac(key: ChainKey, c: Omit<KeyedCheckpoint, 'mac' | 'keyId'>): string {
  return createHmac('sha256', key).update(`hru-chain-checkpoint\n${c.keyedFrom}\n${c.events}\n${c.digest}`).digest('hex');
}

/** Takes the checkpoint over every event stored so far (none, on a new file). */
export function takeKeyedCheckpoint(db: Database.Database, key: ChainKey | undefined): void {
  if (!key) throw new Error('migration 3 needs the chain key');
  const digest = new LogDigest();
  let keyedFrom = 1;
  const select = db.prepare('SELECT position, hash FROM events WHERE position > ? ORDER BY position LIMIT 10000').raw();
  for (let page = select.all(-1) as [number, string][]; page.length > 0; page = select.all(keyedFrom - 1) as [number, string][]) {
    for (const [position, hash] of page) {
      digest.update(hash);
      keyedFrom = position + 1;
    }
  }
  const fields = { keyedFrom, events: digest.events, digest: digest.value() };
  db.prepare('INSERT INTO chain_checkpoint (id, keyed_from, events, digest, key_id, mac) VALUES (1, ?, ?, ?, ?, ?)').run(
    keyedFrom, fields.events, fields.digest, chainKeyId(key), checkpointMac(key, fields),
  );
}

export function readKeyedCheckpoint(db: Database.Database): KeyedCheckpoint | undefined {
  const row = db.prepare('SELECT keyed_from, events, digest, key_id, mac FROM chain_checkpoint WHERE id = 1').raw().get() as
    | [number, number, string, string, string]
    | undefined;
  return row && { keyedFrom: row[0], events: row[1], digest: row[2], keyId: row[3], mac: row[4] };
}
