/** Whether a shadow starts empty for a projection: then its applier may load the rows first and derive the rest once. */
import type Database from 'better-sqlite3';

export function tablesEmpty(db: Database.Database, tables: readonly string[]): boolean {
  return tables.every((table) => db.prepare(`SELECT 1 FROM "${table}" LIMIT 1`).get() === undefined);
}
