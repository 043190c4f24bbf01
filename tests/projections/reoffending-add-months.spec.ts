/**
 * Re-offending's windows are whole months from a follow-up start, as SQLite's date(day, '+N months') counts them (a
 * day past the month's end runs on into the next month): the queries compare against that, so `addMonths`, worked
 * out in whole numbers, must give SQLite's date for every day and every count of months the members use, the
 * longest window back included (`offerToMembers` starts its walk 121 months before a crime).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addMonths, monthsTo } from '../../projections/src/reoffending/members.js';
import { NO_REOFFENCE } from '../../projections/src/reoffending/members-schema.js';

describe('addMonths', () => {
  it("gives SQLite's date(day, '+N months') for every day of eight years, leap days and month ends included", () => {
    const db = new Database(':memory:');
    const sqlite = db.prepare<[string, string], string>("SELECT date(?, ? || ' months')").pluck();
    const mismatches: string[] = [];
    let compared = 0;
    for (let t = Date.UTC(2019, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      for (const months of [-121, -120, -13, -12, -1, 0, 1, 2, 3, 6, 11, 12, 13, 24, 36, 48, 119, 120, 121]) {
        const expected = sqlite.get(day, (months >= 0 ? '+' : '') + String(months));
        if (addMonths(day, months) !== expected) mismatches.push(`${day} ${months}: ${addMonths(day, months)} against ${expected}`);
        compared++;
      }
    }
    db.close();
    expect(compared).toBe(2_922 * 19);
    expect(mismatches).toEqual([]);
  });

  it("monthsTo is the least N with SQLite's date(from, '+N months') on or after the day, or none past 120", () => {
    const db = new Database(':memory:');
    // SQLite's own answer, by the definition: the least N from 0 to 120 whose date reaches the day.
    const least = db
      .prepare<[string, string], number | null>(
        `WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 120)
         SELECT min(k) FROM n WHERE date(?, '+' || k || ' months') >= ?`,
      )
      .pluck();
    const mismatches: string[] = [];
    let compared = 0;
    // Starts on month ends and leap days among others; days from the next day to past the longest window.
    for (let t = Date.UTC(2019, 0, 25); t <= Date.UTC(2021, 2, 5); t += 3 * 86_400_000) {
      const from = new Date(t).toISOString().slice(0, 10);
      for (const after of [1, 2, 27, 28, 29, 30, 31, 32, 59, 60, 61, 89, 92, 365, 366, 730, 3_650, 3_652, 3_653, 3_700]) {
        const on = new Date(t + after * 86_400_000).toISOString().slice(0, 10);
        const expected = least.get(from, on) ?? NO_REOFFENCE;
        if (monthsTo(from, on) !== expected) mismatches.push(`${from} to ${on}: ${monthsTo(from, on)} against ${expected}`);
        compared++;
      }
    }
    db.close();
    expect(compared).toBeGreaterThan(3_000);
    expect(mismatches).toEqual([]);
  });
});
