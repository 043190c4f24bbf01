/**
 * Re-offending's windows are whole months from a follow-up start, as SQLite's date(day, '+N months') counts them (a
 * day past the month's end runs on into the next month): the queries compare against that, so `addMonths`, worked
 * out in whole numbers, must give SQLite's date for every day and every count of months the members use, the
 * longest window back included (`offerToMembers` starts its walk 121 months before a crime).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../../projections/src/reoffending/members.js';

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
});
