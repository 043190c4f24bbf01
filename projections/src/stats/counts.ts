/**
 * Reading the pre-aggregated counts (./aggregate-schema.ts) for a period: each figure a sum over at most a few rows
 * per day of the period (or of the log's history up to its end, for the open caseload), found by primary key.
 */
import type Database from 'better-sqlite3';
import { statement } from '../framework/statements.js';
import type { Period } from './queries.js';

const sum = (db: Database.Database, sql: string, ...args: string[]) => statement<string[], { n: number | null }>(db, sql).get(...args)?.n ?? 0;

/** The counter's total over the days of the period. */
export function dayCount(db: Database.Database, counter: string, p: Period): number {
  return sum(db, 'SELECT sum(n) AS n FROM stats_day_counts WHERE counter = ? AND on_date BETWEEN ? AND ?', counter, p.from, p.to);
}

/** The counter's running total at the end of `day` (the open caseload: openings less closings so far). */
export function runningCount(db: Database.Database, counter: string, day: string): number {
  return sum(db, 'SELECT sum(n) AS n FROM stats_day_counts WHERE counter = ? AND on_date <= ?', counter, day);
}

/** Cases with a fact of the kind in the period, each counted on its first date in it. */
export function casesInPeriod(db: Database.Database, counter: string, p: Period): number {
  return sum(db, 'SELECT sum(n) AS n FROM stats_first_days WHERE counter = ? AND on_date BETWEEN ? AND ? AND prev_on < ?', counter, p.from, p.to, p.from);
}

/** Cases open at some time during the period that had the fact by its end (./contributions.ts, `openSegments`). */
export function openDuring(db: Database.Database, counter: string, p: Period): number {
  return sum(
    db,
    'SELECT sum(n) AS n FROM stats_open_segments WHERE counter = ? AND reach >= ? AND seg_from <= ? AND seg_until > ?',
    counter,
    p.from,
    p.to,
    p.to,
  );
}

/** Running totals at the end of `day` of every counter starting with `prefix`, those above zero only. */
export function runningCountsByCounter(db: Database.Database, prefix: string, day: string): { counter: string; n: number }[] {
  return statement<string[], { counter: string; n: number }>(
    db,
    'SELECT counter, sum(n) AS n FROM stats_day_counts WHERE counter > ? AND counter < ? AND on_date <= ? GROUP BY counter HAVING sum(n) > 0 ORDER BY counter',
  ).all(prefix, `${prefix}\uffff`, day);
}

/** Totals over the period of every counter starting with `prefix`. */
export function dayCountsByCounter(db: Database.Database, prefix: string, p: Period): Map<string, number> {
  const rows = statement<string[], { counter: string; n: number }>(
    db,
    'SELECT counter, sum(n) AS n FROM stats_day_counts WHERE counter > ? AND counter < ? AND on_date BETWEEN ? AND ? GROUP BY counter',
  ).all(prefix, `${prefix}\uffff`, p.from, p.to);
  return new Map(rows.map((r) => [r.counter.slice(prefix.length), r.n]));
}
