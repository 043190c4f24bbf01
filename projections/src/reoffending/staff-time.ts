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

interface StaffRow {
  started_on: string;
  agency: string;
  minutes: number;
}

function contribution(db: Database.Database, referralId: string): StaffRow[] {
  return statement<[string], StaffRow>(
    db,
    `SELECT r.started_on, m.agency, m.minutes FROM reoffending_referrals r JOIN reoffending_staff_minutes m ON m.referral_id = r.referral_id
     WHERE r.referral_id = ? AND r.started_on IS NOT NULL`,
  ).all(referralId);
}

function add(db: Database.Database, rows: readonly StaffRow[], sign: 1 | -1): void {
  for (const r of rows) {
    statement(
      db,
      `INSERT INTO reoffending_staff_daily VALUES (?, ?, ?, ?) ON CONFLICT (started_on, agency)
       DO UPDATE SET minutes = minutes + excluded.minutes, referrals = referrals + excluded.referrals`,
    ).run(r.started_on, r.agency, sign * r.minutes, sign);
    if (sign < 0) statement(db, 'DELETE FROM reoffending_staff_daily WHERE started_on = ? AND agency = ? AND referrals = 0').run(r.started_on, r.agency);
  }
}

/** Runs `change` on the referral's rows and moves the daily minutes by what it changed. */
export function keepingStaffTime(db: Database.Database, referralId: string, change: () => void): void {
  const before = contribution(db, referralId);
  change();
  const after = contribution(db, referralId);
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  add(db, before, -1);
  add(db, after, 1);
}

/** For a rebuild: the daily minutes moved once per referral and batch (see `membersHeldBack`). */
export function staffTimeHeldBack(db: Database.Database): { before(referralId: string): void; flush(): void } {
  const held = new Set<string>();
  const flush = () => {
    for (const id of held) add(db, contribution(db, id), 1);
    held.clear();
  };
  return {
    before(referralId) {
      if (held.has(referralId)) return;
      if (held.size >= 4_000) flush();
      held.add(referralId);
      add(db, contribution(db, referralId), -1);
    },
    flush,
  };
}

export function logTime(db: Database.Database, referralId: string, agency: string, minutes: number): void {
  statement(
    db,
    `INSERT INTO reoffending_staff_minutes VALUES (?, ?, ?) ON CONFLICT (referral_id, agency) DO UPDATE SET minutes = minutes + excluded.minutes`,
  ).run(referralId, agency, minutes);
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
