/** The floor of every log-reading benchmark: raw paged SELECT of the events table plus JSON.parse of each body. */
import { openSqlite } from '@hru/infra';
import { nowMs } from '../harness.js';

export function rawLogRead(file: string, page = 1_000): { count: number; eventsPerSecond: number } {
  const db = openSqlite(file);
  const select = db
    .prepare('SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at FROM events WHERE position >= ? ORDER BY position LIMIT ?')
    .raw();
  let count = 0;
  let from = 0;
  const started = nowMs();
  for (;;) {
    const rows = select.all(from, page) as unknown[][];
    if (rows.length === 0) break;
    for (const row of rows) {
      JSON.parse(row[5] as string);
      JSON.parse(row[6] as string);
    }
    count += rows.length;
    from = (rows[rows.length - 1]![0] as number) + 1;
  }
  const seconds = (nowMs() - started) / 1000;
  db.close();
  return { count, eventsPerSecond: count / seconds };
}
