/** Installing a projection's tables, checking they are exactly the ones it declares. */
import type Database from 'better-sqlite3';
import type { AnyProjection } from './projection.js';

function tablesIn(db: Database.Database, schemaName: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM ${schemaName}.sqlite_master WHERE type = 'table'`).all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

export function dropTables(db: Database.Database, projection: AnyProjection, schemaName = 'main'): void {
  for (const table of projection.tables) db.exec(`DROP TABLE IF EXISTS ${schemaName}."${table}"`);
}

const INDEX = /^\s*CREATE\s+(UNIQUE\s+)?INDEX\b/i;

/**
 * The statements of a schema, each as written (its comments and spacing kept: SQLite stores a statement's text, and
 * the rebuild leaves exactly the schema the live runner wrote). Split on the semicolons outside comments and quoted
 * text: a plain split on `;` cut statements at a semicolon in a comment, and a CREATE INDEX whose comment above held
 * one then read as a table's statement, so shadows were loaded with those indexes kept up row by row.
 */
function schemaStatements(schema: string): string[] {
  const statements: string[] = [];
  let start = 0;
  for (let i = 0; i < schema.length; i++) {
    const c = schema[i]!;
    let end = i;
    if (c === '-' && schema[i + 1] === '-') end = schema.indexOf('\n', i);
    else if (c === '/' && schema[i + 1] === '*') end = schema.indexOf('*/', i + 2) + 1;
    // A quote inside quoted text is doubled ('it''s'): read as two quoted runs side by side, the same text.
    else if (c === "'" || c === '"' || c === '`' || c === '[') end = schema.indexOf(c === '[' ? ']' : c, i + 1);
    else if (c === ';') {
      statements.push(schema.slice(start, i));
      start = i + 1;
    }
    if (end < i) break; // unterminated: the rest is one statement, SQLite's to refuse
    i = end;
  }
  statements.push(schema.slice(start));
  return statements.filter((statement) => codeOf(statement) !== '');
}

/** A statement from its first keyword: without the whitespace and comments before it. */
function codeOf(statement: string): string {
  return statement.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

/** The schema's statements split into those that create tables and those that create secondary indexes. */
export function schemaParts(projection: AnyProjection): { tables: string; indexes: string } {
  const statements = schemaStatements(projection.schema);
  return {
    tables: statements.filter((s) => !INDEX.test(codeOf(s))).join(';'),
    indexes: statements.filter((s) => INDEX.test(codeOf(s))).join(';'),
  };
}

/**
 * Drops the projection's tables and creates them afresh in `main`. A schema that creates a table it does not
 * declare would escape rebuilds and drops, so that is an error. `withIndexes: false` leaves out the secondary
 * indexes, for a bulk load that creates them afterwards (`createIndexes`): one sort instead of an index
 * update per row.
 */
export function installSchema(db: Database.Database, projection: AnyProjection, options: { withIndexes?: boolean } = {}): void {
  dropTables(db, projection);
  const before = tablesIn(db, 'main');
  db.exec(options.withIndexes === false ? schemaParts(projection).tables : projection.schema);
  const created = [...tablesIn(db, 'main')].filter((t) => !before.has(t));
  const declared = new Set(projection.tables);
  const undeclared = created.filter((t) => !declared.has(t));
  const missing = projection.tables.filter((t) => !created.includes(t));
  if (undeclared.length > 0 || missing.length > 0) {
    throw new Error(
      `Projection ${projection.name}: schema created [${created.join(', ')}] but declares [${projection.tables.join(', ')}]`,
    );
  }
}

export function createIndexes(db: Database.Database, projection: AnyProjection): void {
  const { indexes } = schemaParts(projection);
  if (indexes !== '') db.exec(indexes);
}
