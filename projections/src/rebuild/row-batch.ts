/**
 * Rows of one table inserted many to a statement, for a rebuild into an empty shadow that only ever adds them: a
 * statement of 32 rows costs about 30% less per row than 32 statements of one (most of a one-row insert is the call
 * into SQLite and the statement's reset, not the B-tree). Held rows are written by `flush`: the rebuild flushes
 * before every commit, and the holder before anything reads the table.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';

/** Rows per statement: past a few dozen the statements stop getting cheaper per row. */
const ROWS_PER_STATEMENT = 32;

export class RowBatch {
  private held: unknown[] = [];
  private readonly full: number;
  /** One row's placeholders, and the statement of a full batch: made once, not at every write. */
  private readonly one: string;
  private readonly fullSql: string;

  /**
   * `insert`: the statement up to its VALUES (`INSERT INTO t (a, b) VALUES`); `tail`: what follows the rows (an
   * upsert clause, say); `columns`: values per row.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly insert: string,
    private readonly columns: number,
    private readonly tail = '',
  ) {
    this.full = columns * ROWS_PER_STATEMENT;
    this.one = `(${new Array<string>(columns).fill('?').join(', ')})`;
    this.fullSql = this.sqlFor(ROWS_PER_STATEMENT);
  }

  add(...row: unknown[]): void {
    this.held.push(...row);
    if (this.held.length >= this.full) this.write();
  }

  flush(): void {
    if (this.held.length > 0) this.write();
  }

  private write(): void {
    const rows = this.held.length / this.columns;
    // A full batch's text, or one of at most ROWS_PER_STATEMENT - 1 shorter ones at a flush; each prepared once per connection.
    statement(this.db, rows === ROWS_PER_STATEMENT ? this.fullSql : this.sqlFor(rows)).run(this.held);
    this.held = [];
  }

  private sqlFor(rows: number): string {
    return `${this.insert} ${new Array<string>(rows).fill(this.one).join(', ')} ${this.tail}`;
  }
}
