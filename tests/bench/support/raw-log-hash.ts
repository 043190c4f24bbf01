/** The floor of hash-chain verification: the same rows read in log order and hashed once each, no chain, no checks. */
import { createHash } from 'node:crypto';
import { openSqlite } from '@hru/infra';
import { nowMs } from '../harness.js';

export function rawLogHash(file: string): { count: number; eventsPerSecond: number } {
  const db = openSqlite(file);
  const select = db.prepare('SELECT position, stream_id, revision, type, data, metadata, prev_hash, hash FROM events WHERE position > ? ORDER BY position LIMIT 20000').raw();
  let count = 0;
  const started = nowMs();
  for (let page = select.all(-1) as unknown[][]; page.length > 0; page = select.all(page.at(-1)![0]) as unknown[][]) {
    for (const row of page) createHash('sha256').update(row[7] as string).update(row[4] as string).update(row[5] as string).digest('hex');
    count += page.length;
  }
  const seconds = (nowMs() - started) / 1000;
  db.close();
  return { count, eventsPerSecond: count / seconds };
}
