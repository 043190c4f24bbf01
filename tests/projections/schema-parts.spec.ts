/**
 * A rebuild loads its shadows without the secondary indexes and builds them after the rows are in (one sort each
 * instead of an update per row): `schemaParts` must put every CREATE INDEX of a schema on the indexes' side, even one
 * whose comment above holds a semicolon, and lose no statement.
 */
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { allProjections } from '@hru/projections';
import { schemaParts } from '../../projections/src/framework/schema.js';

const schemaOf = (db: Database.Database, type: string) =>
  db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL ORDER BY name`).all(type) as { name: string; sql: string }[];

it.each(allProjections.map((p) => [p.name, p] as const))('%s: the tables part creates no index, and both parts make the whole schema', (_name, projection) => {
  const whole = new Database(':memory:');
  whole.exec(projection.schema);
  const parted = new Database(':memory:');
  const { tables, indexes } = schemaParts(projection);
  parted.exec(tables);
  expect(schemaOf(parted, 'index')).toEqual([]);
  expect(schemaOf(parted, 'table')).toEqual(schemaOf(whole, 'table'));
  parted.exec(indexes);
  // The same statements, as written: SQLite keeps each one's text.
  expect(schemaOf(parted, 'index')).toEqual(schemaOf(whole, 'index'));
  whole.close();
  parted.close();
});

it('splits at semicolons outside comments and quoted text only', () => {
  const projection = {
    ...allProjections[0]!,
    schema: `
      CREATE TABLE t (a TEXT DEFAULT 'x;y', "b;c" TEXT); -- a comment; with a semicolon
      /* another; */ CREATE INDEX t_by_a ON t (a);
      -- before the index; its comment
      CREATE INDEX t_by_b ON t ("b;c")`,
  };
  const { tables, indexes } = schemaParts(projection);
  const db = new Database(':memory:');
  db.exec(tables);
  expect(schemaOf(db, 'index')).toEqual([]);
  db.exec(indexes);
  expect(schemaOf(db, 'index').map((i) => i.name)).toEqual(['t_by_a', 't_by_b']);
  db.close();
});
