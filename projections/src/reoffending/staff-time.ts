/**
 * Staff minutes per referral and agency (from `TimeLogged`), and summed by the day the referral's intervention
 * started: value for money's cost of a cohort is then a sum over the period's days (issue #20), not a join over
 * every referral of the cohort. The minutes of a referral whose intervention has not started count nowhere yet.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';

export const staffTimeSchema = `
  CREATE TABLE reoffending_staff_minutes (
    referral_id TEXT NOT NULL,
    agency      TEXT NOT NULL,
    minutes     INTEGER NOT NULL,
    PRIMARY KEY (referral_id, agency)
  ) WITHOUT ROWID;
  CREATE TABLE reoffending_staff_daily (
    started_on TEXT NOT NULL,
    agency     TEXT NOT NULL,
    minutes    INTEGER NOT NULL,
    referrals  INTEGER NOT NULL,  -- referrals with time of the agency: an agency with any row is listed, as before
    PRIMARY KEY (started_on, agency)
  ) WITHOUT ROWID
`;

function addToDay(db: Database.Database, startedOn: string, agency: string, minutes: number, referrals: number): void {
  statement(
    db,
    `INSERT INTO reoffending_staff_daily VALUES (?, ?, ?, ?) ON CONFLICT (started_on, agency)
     DO UPDATE SET minutes = minutes + excluded.minutes, referrals = referrals + excluded.referrals`,
  ).run(startedOn, agency, minutes, referrals);
  if (referrals < 0) statement(db, 'DELETE FROM reoffending_staff_daily WHERE started_on = ? AND agency = ? AND referrals = 0').run(startedOn, agency);
}

/** Minutes of a referral for an agency; they count on the intervention's start day once there is one. */
export function logTime(db: Database.Database, referralId: string, agency: string, minutes: number, startedOn: string | null): void {
  const known = statement<[string, string], number>(db, 'SELECT 1 FROM reoffending_staff_minutes WHERE referral_id = ? AND agency = ?').get(referralId, agency);
  statement(
    db,
    `INSERT INTO reoffending_staff_minutes VALUES (?, ?, ?) ON CONFLICT (referral_id, agency) DO UPDATE SET minutes = minutes + excluded.minutes`,
  ).run(referralId, agency, minutes);
  if (startedOn !== null) addToDay(db, startedOn, agency, minutes, known ? 0 : 1);
}

/** The referral's intervention now starts on `to` (earlier, or for the first time): its minutes move with it. */
export function moveStaffTime(db: Database.Database, referralId: string, from: string | null, to: string): void {
  const rows = statement<[string], { agency: string; minutes: number }>(db, 'SELECT agency, minutes FROM reoffending_staff_minutes WHERE referral_id = ?').all(referralId);
  for (const r of rows) {
    if (from !== null) addToDay(db, from, r.agency, -r.minutes, -1);
    addToDay(db, to, r.agency, r.minutes, 1);
  }
}

/** Minutes by agency of the referrals whose intervention started in the period. */
export function cohortStaffMinutes(db: Database.Database, p: { from: string; to: string }): { agency: string; minutes: number }[] {
  return db
    .prepare(
      `SELECT agency, sum(minutes) AS minutes FROM reoffending_staff_daily WHERE started_on BETWEEN ? AND ?
       GROUP BY agency HAVING sum(referrals) > 0 ORDER BY agency`,
    )
    .all(p.from, p.to) as { agency: string; minutes: number }[];
}
