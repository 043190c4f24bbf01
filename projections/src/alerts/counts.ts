/**
 * The trend's alert figures pre-aggregated by the UTC day an alert was raised (issue #20): raised, acknowledged in
 * time (while still at level 0) and acknowledged late. A year of the trend then sums a few rows per day instead of
 * reading every alert of the year. Each change to an alert's row takes its old contribution out and puts its new
 * one in, so the counts are a function of `alerts_items` as it stands (a disposal's purge takes its alerts out,
 * as the trend counted before); rows that fall to zero are deleted.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';

export type AlertCounter = 'raised' | 'in_time' | 'late';

/**
 * What one alert row adds: its day is the first ten characters of `raised_at` (an ISO instant in UTC), which puts
 * it in the same day as the text comparison `raised_at >= day AND raised_at < next day` the trend made before.
 */
const contributionSql = `SELECT substr(raised_at, 1, 10) AS on_date,
  CASE WHEN acknowledged_at IS NULL THEN NULL WHEN level = 0 THEN 'in_time' ELSE 'late' END AS acknowledged
  FROM alerts_items`;

interface Contribution {
  on_date: string;
  acknowledged: 'in_time' | 'late' | null;
}

function add(db: Database.Database, counter: AlertCounter, onDate: string, n: number): void {
  statement(db, 'INSERT INTO alerts_day_counts VALUES (?, ?, ?) ON CONFLICT (on_date, counter) DO UPDATE SET n = n + excluded.n').run(onDate, counter, n);
  statement(db, 'DELETE FROM alerts_day_counts WHERE on_date = ? AND counter = ? AND n = 0').run(onDate, counter);
}

function move(db: Database.Database, c: Contribution, sign: 1 | -1): void {
  add(db, 'raised', c.on_date, sign);
  if (c.acknowledged !== null) add(db, c.acknowledged, c.on_date, sign);
}

const same = (a: Contribution | undefined, b: Contribution | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.on_date === b.on_date && a.acknowledged === b.acknowledged);

/** Runs `change` on one alert's row and moves the counts by what it changed. */
export function keepingAlertCounts(db: Database.Database, alertId: string, change: () => void): void {
  const of = statement<[string], Contribution>(db, `${contributionSql} WHERE alert_id = ?`);
  const before = of.get(alertId);
  change();
  const after = of.get(alertId);
  if (same(before, after)) return;
  if (before) move(db, before, -1);
  if (after) move(db, after, 1);
}

/** Takes a referral's alerts out of the counts; the caller then deletes their rows (a disposal). */
export function uncountReferralAlerts(db: Database.Database, referralId: string): void {
  for (const c of statement<[string], Contribution>(db, `${contributionSql} WHERE referral_id = ?`).all(referralId)) move(db, c, -1);
}

/** Counts every alert afresh: for rows written without `apply` (a test's or a benchmark's hand-made rows). */
export function recountAlerts(db: Database.Database): void {
  db.exec(`DELETE FROM alerts_day_counts;
    INSERT INTO alerts_day_counts
      SELECT on_date, counter, n FROM (
        SELECT substr(raised_at, 1, 10) AS on_date, 'raised' AS counter, count(*) AS n FROM alerts_items GROUP BY 1
        UNION ALL
        SELECT substr(raised_at, 1, 10), CASE WHEN level = 0 THEN 'in_time' ELSE 'late' END, count(*)
          FROM alerts_items WHERE acknowledged_at IS NOT NULL GROUP BY 1, 2)`);
}

/** The period's counts by month (`YYYY-MM`), from its first to its last day, both inclusive. */
export function alertCountsByMonth(db: Database.Database, from: string, to: string): Map<string, Record<AlertCounter, number>> {
  const rows = statement<[string, string], { month: string; counter: AlertCounter; n: number }>(
    db,
    'SELECT substr(on_date, 1, 7) AS month, counter, sum(n) AS n FROM alerts_day_counts WHERE on_date BETWEEN ? AND ? GROUP BY 1, 2',
  ).all(from, to);
  const out = new Map<string, Record<AlertCounter, number>>();
  for (const r of rows) {
    const month = out.get(r.month) ?? { raised: 0, in_time: 0, late: 0 };
    month[r.counter] = r.n;
    out.set(r.month, month);
  }
  return out;
}
