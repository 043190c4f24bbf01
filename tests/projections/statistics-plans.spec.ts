/**
 * The statistics' queries at a national year (issue #20) read pre-aggregated counts by key, never every row of a
 * table: every statement the headline, trend and outcome queries prepare is checked
 * with EXPLAIN QUERY PLAN, on the tables as the projections create them (with their indexes), for a full scan of
 * any of their tables. A temporary B-tree is allowed only on the small pre-aggregated tables (a GROUP BY over a few
 * rows per day). The trend's alerts are the alerts model's counts by day (its version 5), checked the same way.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { recordPrepared } from './support/prepared-sql.js';
import {
  headlineStats,
  installSchema,
  monthlyTrend,
  outcomeStats,
  outcomesProjection,
  statsProjection,
  alertsProjection,
} from '@hru/projections';

const projections = [statsProjection, outcomesProjection, alertsProjection({ webhookTargets: [] })];
const tables = new Set(projections.flatMap((p) => [...p.tables]));
/** Pre-aggregated: at most a few rows per day, so grouping them costs nothing at any size. */
const smallTables = new Set(['stats_day_counts', 'stats_first_days', 'stats_open_segments', 'outcomes_daily', 'alerts_day_counts']);

/** Binds null to every parameter, positional or named, to read the plan alone. */
function planOf(db: Database.Database, sql: string): string[] {
  const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = named.length > 0 ? statement.all(Object.fromEntries(named.map((n) => [n, null]))) : statement.all(...(sql.match(/\?/g) ?? []).map(() => null));
  return (rows as { detail: string }[]).map((r) => r.detail);
}

describe('statistics query plans', () => {
  it('read every figure of a year by key, scanning no table of the statistics', () => {
    const db = new Database(':memory:');
    for (const projection of projections) installSchema(db, projection);
    const recorded = recordPrepared(db);
    const prepared = recorded.sql;
    const year = { from: '2026-01-01', to: '2026-12-31' };
    headlineStats(db, year);
    monthlyTrend(db, year);
    outcomeStats(db, year);
    recorded.stop();

    const problems: string[] = [];
    for (const sql of prepared) {
      if (!/^\s*(SELECT|WITH)\b/i.test(sql)) continue;
      const plan = planOf(db, sql);
      for (const line of plan) {
        const scanned = /^SCAN (\w+)/.exec(line)?.[1];
        if (scanned && tables.has(scanned)) problems.push(`${line} in: ${sql.replace(/\s+/g, ' ').trim()}`);
      }
      const readsOurs = plan.some((l) => tables.has(/^(?:SEARCH|SCAN) (\w+)/.exec(l)?.[1] ?? ''));
      const readsOnlySmall = plan.filter((l) => /^(SEARCH|SCAN) /.test(l)).every((l) => smallTables.has(/^(?:SEARCH|SCAN) (\w+)/.exec(l)![1]!));
      if (readsOurs && plan.some((l) => l.includes('TEMP B-TREE')) && !readsOnlySmall) problems.push(`temporary B-tree over a large table in: ${sql.replace(/\s+/g, ' ').trim()}`);
    }
    expect(prepared.size).toBeGreaterThan(5); // the distinct statements of the three queries
    expect([...prepared].some((sql) => sql.includes('alerts_day_counts'))).toBe(true);
    expect([...prepared].some((sql) => sql.includes('alerts_items'))).toBe(false);
    expect(problems).toEqual([]);
    db.close();
  });
});
