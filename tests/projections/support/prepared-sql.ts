/** The plan specs' way to learn which SQL a piece of code runs: every statement a database prepares, recorded. */
import type Database from 'better-sqlite3';

/** Records the SQL of every statement `db` prepares from here on; `stop` puts `prepare` back. */
export function recordPrepared(db: Database.Database): { sql: Set<string>; stop(): void } {
  const sql = new Set<string>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((text: string) => {
    sql.add(text);
    return prepare(text);
  }) as typeof db.prepare;
  return { sql, stop: () => void (db.prepare = prepare) };
}
