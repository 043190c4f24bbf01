/**
 * Where re-offending's `applyEvent` (projection.ts) reads and writes a referral's own row (../rebuild/row-store.ts):
 * by statement for `apply`, so that the members' queries see every change at once; held for a rebuild into an empty
 * shadow, which works the members out only at the end. Each intervention, plan and direction of a managed case reads
 * the case's start dates (nine reads of one row per referral of the bench's log, most of them changing nothing):
 * held, they cost one read and one write per referral.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import { heldRows, rowsByStatement, type RowStore } from '../rebuild/row-store.js';
import type { ReferralRow } from './members.js';

export type ReferralRows = RowStore<ReferralRow>;

const reader = (db: Database.Database) => (id: string) =>
  statement<[string], ReferralRow>(db, 'SELECT * FROM reoffending_referrals WHERE referral_id = ?').get(id);

const writer = (db: Database.Database) => (r: ReferralRow) =>
  statement(db, 'INSERT OR REPLACE INTO reoffending_referrals VALUES (?, ?, ?, ?, ?, ?)').run(
    r.referral_id,
    r.crime_on,
    r.problem_behaviour,
    r.breach_of_order,
    r.started_on,
    r.therapy_completed_on,
  );

export const referralRowsByStatement = (db: Database.Database): ReferralRows => rowsByStatement(reader(db), writer(db));

export const heldReferralRows = (db: Database.Database, limit?: number): ReferralRows => heldRows(reader(db), writer(db), limit);
