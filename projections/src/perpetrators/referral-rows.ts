/**
 * Where the perpetrators projection (projection.ts) reads and writes a referral's row (../rebuild/row-store.ts): by
 * statement for `apply`; held for a rebuild into an empty shadow, where six events of a case's life (intake, plan,
 * urgent action raised and resolved, crime outcome, closure) each changed it by an UPDATE of its own.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import { heldRows, rowsByStatement, type RowStore } from '../rebuild/row-store.js';
import type { PerpetratorReferralRow } from './schema.js';

export type PerpetratorReferralRows = RowStore<PerpetratorReferralRow>;

const reader = (db: Database.Database) => (id: string) =>
  statement<[string], PerpetratorReferralRow>(db, 'SELECT * FROM perpetrators_referrals WHERE referral_id = ?').get(id);

/** Every column in the table's order, by position: a column added to the table and not here fails loudly, not to its default. */
const writer = (db: Database.Database) => (r: PerpetratorReferralRow) =>
  statement(db, 'INSERT OR REPLACE INTO perpetrators_referrals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    r.referral_id, r.crime_on, r.area, r.problem_behaviour, r.offence_codes, r.indicators, r.closed, r.open_alerts,
    r.risk_id, r.risk_on, r.dash_yes_count, r.formulation_id, r.stalker_type, r.plan_agreed_on, r.charged_on,
  );

export const referralRowsByStatement = (db: Database.Database): PerpetratorReferralRows => rowsByStatement(reader(db), writer(db));

export const heldReferralRows = (db: Database.Database, limit?: number): PerpetratorReferralRows => heldRows(reader(db), writer(db), limit);
