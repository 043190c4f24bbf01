/**
 * The outcome rates' counts pre-aggregated by outcome date and problem behaviour (issue #20): a year's rates are
 * a sum over a few rows per day instead of a join over every crime of the year. Every change to a referral's rows
 * takes its crimes out of the counts as they stood and puts them back as they stand.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';

/** Home Office outcome types counted by each rate; 2 and 3 are the two caution types. */
export const outcomeGroups = { chargedOrSummonsed: ['1'], cautioned: ['2', '3'], victimWithdrawal: ['16'] } as const;

export const outcomesDailySchema = `
  CREATE TABLE outcomes_daily (
    outcome_date      TEXT NOT NULL,
    problem_behaviour TEXT NOT NULL,     -- the referral's, 'unknown' for a crime of a referral never received
    crimes            INTEGER NOT NULL,
    charged           INTEGER NOT NULL,
    cautioned         INTEGER NOT NULL,
    withdrawn         INTEGER NOT NULL,
    PRIMARY KEY (outcome_date, problem_behaviour)
  ) WITHOUT ROWID
`;

interface CrimeCounts {
  outcome_date: string;
  problem_behaviour: string;
  crimes: number;
  charged: number;
  cautioned: number;
  withdrawn: number;
}

const inList = (codes: readonly string[]) => codes.map((c) => `'${c}'`).join(', ');

/** The referral's crimes as the counts hold them. */
function countsOf(db: Database.Database, referralId: string): CrimeCounts[] {
  return statement<[string], CrimeCounts>(
    db,
    `SELECT c.outcome_date, coalesce(r.problem_behaviour, 'unknown') AS problem_behaviour, count(*) AS crimes,
       sum(c.outcome_code IN (${inList(outcomeGroups.chargedOrSummonsed)})) AS charged,
       sum(c.outcome_code IN (${inList(outcomeGroups.cautioned)})) AS cautioned,
       sum(c.outcome_code IN (${inList(outcomeGroups.victimWithdrawal)})) AS withdrawn
     FROM outcomes_crimes c LEFT JOIN outcomes_referrals r ON r.referral_id = c.referral_id
     WHERE c.referral_id = ? GROUP BY 1, 2`,
  ).all(referralId);
}

function add(db: Database.Database, rows: readonly CrimeCounts[], sign: 1 | -1): void {
  for (const r of rows) {
    statement(
      db,
      `INSERT INTO outcomes_daily VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (outcome_date, problem_behaviour) DO UPDATE SET
         crimes = crimes + excluded.crimes, charged = charged + excluded.charged, cautioned = cautioned + excluded.cautioned, withdrawn = withdrawn + excluded.withdrawn`,
    ).run(r.outcome_date, r.problem_behaviour, sign * r.crimes, sign * r.charged, sign * r.cautioned, sign * r.withdrawn);
    if (sign < 0) statement(db, 'DELETE FROM outcomes_daily WHERE outcome_date = ? AND problem_behaviour = ? AND crimes = 0').run(r.outcome_date, r.problem_behaviour);
  }
}

/** Runs `change` on the referral's rows and moves the counts by what it changed. */
export function keepingOutcomeCounts(db: Database.Database, referralId: string, change: () => void): void {
  const before = countsOf(db, referralId);
  add(db, before, -1);
  change();
  add(db, countsOf(db, referralId), 1);
}

/**
 * For a rebuild: a referral's crimes leave the counts at its first event of a batch and come back as they stand
 * when the batch is flushed, once per referral and batch rather than once per event; the counts end where
 * `keepingOutcomeCounts` leaves them.
 */
export function outcomeCountsHeldBack(db: Database.Database): { before(referralId: string): void; flush(): void } {
  const held = new Set<string>();
  const flush = () => {
    for (const id of held) add(db, countsOf(db, id), 1);
    held.clear();
  };
  return {
    before(referralId) {
      if (held.has(referralId)) return;
      if (held.size >= 4_000) flush();
      held.add(referralId);
      add(db, countsOf(db, referralId), -1);
    },
    flush,
  };
}

/** Counts every crime afresh: for rows written without `apply` (a benchmark's bulk load). `apply` keeps the counts itself. */
export function recountOutcomes(db: Database.Database): void {
  db.exec('DELETE FROM outcomes_daily');
  db.exec(`INSERT INTO outcomes_daily
    SELECT c.outcome_date, coalesce(r.problem_behaviour, 'unknown'), count(*),
      sum(c.outcome_code IN (${inList(outcomeGroups.chargedOrSummonsed)})), sum(c.outcome_code IN (${inList(outcomeGroups.cautioned)})),
      sum(c.outcome_code IN (${inList(outcomeGroups.victimWithdrawal)}))
    FROM outcomes_crimes c LEFT JOIN outcomes_referrals r ON r.referral_id = c.referral_id GROUP BY 1, 2`);
}
