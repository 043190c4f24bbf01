/** Reading and writing the checkpoint row of a projection (always inside the caller's transaction). */
import type Database from 'better-sqlite3';
import { statement } from './statements.js';

export interface Checkpoint {
  projection: string;
  version: number;
  /** Last applied position; -1n before the first event. */
  position: bigint;
  generation: number;
}

interface Row {
  projection: string;
  version: bigint;
  position: bigint;
  generation: bigint;
}

export function readCheckpoint(db: Database.Database, projection: string): Checkpoint | undefined {
  // Positions are 64-bit (KurrentDB commit positions), so read them as bigints.
  const row = statement<[string], Row>(db, 'SELECT projection, version, position, generation FROM checkpoints WHERE projection = ?')
    .safeIntegers(true)
    .get(projection);
  if (!row) return undefined;
  return { projection: row.projection, version: Number(row.version), position: row.position, generation: Number(row.generation) };
}

export function readCheckpoints(db: Database.Database): Checkpoint[] {
  return statement<[], Row>(db, 'SELECT projection, version, position, generation FROM checkpoints ORDER BY projection')
    .safeIntegers(true)
    .all()
    .map((row) => ({ projection: row.projection, version: Number(row.version), position: row.position, generation: Number(row.generation) }));
}

export function writeCheckpoint(db: Database.Database, checkpoint: Checkpoint): void {
  statement(
    db,
    `INSERT INTO checkpoints (projection, version, position, generation, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = excluded.position,
       generation = excluded.generation, updated_at = excluded.updated_at`,
  ).run(checkpoint.projection, checkpoint.version, checkpoint.position, checkpoint.generation, new Date().toISOString());
}

export function moveCheckpoint(db: Database.Database, projection: string, position: bigint): void {
  statement(db, 'UPDATE checkpoints SET position = ?, updated_at = ? WHERE projection = ?').run(position, new Date().toISOString(), projection);
}
