/**
 * Where re-offending's `applyEvent` (projection.ts) reads and writes a referral's own row: by statement for `apply`,
 * so that the members' queries see every change at once; or held in a `RowCache` for a rebuild into an empty shadow,
 * which works the members out only at the end. Each intervention, plan and direction of a managed case reads the
 * case's start dates (nine reads of one row per referral of the bench's log, most of them changing nothing): held,
 * they cost one read and one write per referral.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import { RowCache } from '../rebuild/row-cache.js';
import type { ReferralRow } from './members.js';

export interface ReferralRows {
  get(id: string): ReferralRow | undefined;
  /** Keeps a new row, or one from `get` changed in place. */
  put(row: ReferralRow): void;
  /** Writes every row held back. */
  flush(): void;
}

const select = (db: Database.Database) => statement<[string], ReferralRow>(db, 'SELECT * FROM reoffending_referrals WHERE referral_id = ?');

function write(db: Database.Database, r: ReferralRow): void {
  statement(db, 'INSERT OR REPLACE INTO reoffending_referrals VALUES (?, ?, ?, ?, ?, ?)').run(
    r.referral_id,
    r.crime_on,
    r.problem_behaviour,
    r.breach_of_order,
    r.started_on,
    r.therapy_completed_on,
  );
}

export function referralRowsByStatement(db: Database.Database): ReferralRows {
  return { get: (id) => select(db).get(id), put: (row) => write(db, row), flush() {} };
}

/** `limit`: rows held at most (RowCache's default unless given; a spec gives one, so that every row goes through the file). */
export function heldReferralRows(db: Database.Database, limit?: number): ReferralRows {
  const rows = new RowCache<ReferralRow>(
    (id) => select(db).get(id),
    (row) => write(db, row),
    limit,
  );
  return { get: (id) => rows.get(id), put: (row) => rows.changed(row.referral_id, row), flush: () => rows.flush() };
}
