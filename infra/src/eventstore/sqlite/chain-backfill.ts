/**
 * Migration 2: chains the events written before hash chains existed. Bodies are rewritten in canonical
 * JSON (same values, sorted keys) so that they hash the way new appends do.
 */
import type Database from 'better-sqlite3';
import { canonicalJson } from '../../audit/integrity/canonical-json.js';
import { GENESIS_HASH, linkHash } from '../../audit/integrity/chain.js';

type Row = [position: number, streamId: string, revision: number, type: string, data: string, metadata: string];

export function backfillChains(db: Database.Database): void {
  // Paged: better-sqlite3 cannot update while a statement is still iterating, and a log may be large.
  const select = db
    .prepare('SELECT position, stream_id, revision, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT 10000')
    .raw();
  const update = db.prepare('UPDATE events SET data = ?, metadata = ?, prev_hash = ?, hash = ? WHERE position = ?');
  const heads = new Map<string, string>();
  for (let after = -1, page = select.all(after) as Row[]; page.length > 0; page = select.all(after) as Row[]) {
    for (const row of page) after = chainRow(row, heads, update);
  }
  const setHead = db.prepare('UPDATE streams SET head_hash = ? WHERE stream_id = ?');
  for (const [streamId, hash] of heads) setHead.run(hash, streamId);
}

function chainRow([position, streamId, revision, type, data, metadata]: Row, heads: Map<string, string>, update: Database.Statement): number {
  const prevHash = heads.get(streamId) ?? GENESIS_HASH;
  const dataJson = canonicalJson(JSON.parse(data));
  const metadataJson = canonicalJson(JSON.parse(metadata));
  const hash = linkHash(prevHash, { streamId, revision, position, type, dataJson, metadataJson });
  update.run(dataJson, metadataJson, prevHash, hash, position);
  heads.set(streamId, hash);
  return position;
}
