/**
 * The pre-aggregated statistics (issue #20) against the SQL they replaced, kept as the oracle in ./support/oracle:
 * over a seeded random history, every figure of the headline, the trend and the outcome rates is the same for random
 * periods, and stays the same after a rebuild.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertsProjection,
  allProjections,
  headlineStats,
  monthlyTrend,
  monthsOf,
  openReadModelDb,
  outcomeStats,
  rebuildProjections,
  recountAlerts,
  recountOutcomes,
  recountStatistics,
  type Period,
} from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { headlineStats as oracleHeadline } from './support/oracle/stats-queries.js';
import { monthlyTrend as oracleTrend } from './support/oracle/stats-trend.js';
import { outcomeStats as oracleOutcomes } from './support/oracle/outcomes-queries.js';
import { event } from './support/history.js';
import { randomHistory, randomPeriod, seeded } from './support/random-history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const PERIODS = 150;
/** The trend counts alerts, which the engine's alerts model keeps. */
const projections = [...allProjections, alertsProjection({ webhookTargets: [] })];
let rm: ReadModels;

beforeAll(async () => {
  rm = await startReadModels(projections);
  await rm.given(randomHistory(20, 200));
}, 120_000);
afterAll(() => rm.close());

function periods(seed: number): Period[] {
  const r = seeded(seed);
  return Array.from({ length: PERIODS }, () => randomPeriod(r));
}

/** A trend of at most three years (what the route allows) from a period. */
const trendPeriod = (p: Period): Period => (monthsOf(p).length <= 36 ? p : { from: p.from, to: monthsOf(p)[35]!.to });

function expectSameFigures(db: Database.Database, seed: number): void {
  for (const p of periods(seed)) {
    expect(headlineStats(db, p), `headline ${p.from}..${p.to}`).toEqual(oracleHeadline(db, p));
    expect(monthlyTrend(db, trendPeriod(p)), `trend ${p.from}..${p.to}`).toEqual(oracleTrend(db, trendPeriod(p)));
    expect(outcomeStats(db, p), `outcomes ${p.from}..${p.to}`).toEqual(oracleOutcomes(db, p));
  }
}

describe('pre-aggregated statistics against the SQL they replaced', () => {
  it('the history is rich enough to tell them apart', () => {
    const year = { from: '2025-01-01', to: '2025-12-31' };
    const h = oracleHeadline(rm.db, year);
    // Guards against a generator that produces nothing to compare (every figure zero agrees trivially).
    expect(h.victimEngagement.offered).toBeGreaterThan(3);
    expect(h.casesOpenToHealthProfessionals).toBeGreaterThan(3);
    expect(h.mappaCasesSupported).toBeGreaterThan(3);
    expect(h.activeCaseload.total).toBeGreaterThan(3);
    const trend = oracleTrend(rm.db, year);
    expect(trend.totals.alertsAcknowledgedInTime).toBeGreaterThan(3);
    expect(trend.totals.alertsAcknowledgedLate).toBeGreaterThan(3);
    expect(h.victimsCodeCompliance.due).toBeGreaterThan(3);
    expect(h.dvpo.ordersGranted).toBeGreaterThan(0);
    expect(h.bail.extensions.inspector + h.bail.extensions.superintendent + h.bail.extensions.court).toBeGreaterThan(0);
    expect(oracleOutcomes(rm.db, year).overall.crimes).toBeGreaterThan(10);
  });

  it('gives the same figures for random periods, live', () => {
    expectSameFigures(rm.db, 1);
  });

  it('counts the same afresh from the rows as apply kept them event by event', () => {
    const aggregates = ['stats_day_counts', 'stats_first_days', 'stats_open_segments', 'outcomes_daily', 'alerts_day_counts'];
    const orderOf = (t: string) => (rm.db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).join(', ');
    const dump = () => Object.fromEntries(aggregates.map((t) => [t, rm.db.prepare(`SELECT * FROM ${t} ORDER BY ${orderOf(t)}`).all()]));
    const kept = dump();
    expect(kept.stats_open_segments!.length).toBeGreaterThan(10);
    expect(kept.alerts_day_counts!.length).toBeGreaterThan(10);
    rm.db.transaction(() => {
      recountStatistics(rm.db);
      recountOutcomes(rm.db);
      recountAlerts(rm.db);
    })();
    expect(dump()).toEqual(kept);
  });

  it('gives the same figures after a rebuild on two threads', async () => {
    const dir = tempDir('hru-stats-diff-');
    try {
      const db = openReadModelDb(join(dir.dir, 'rebuilt.sqlite'));
      await rebuildProjections(rm.store, db, undefined, undefined, { threads: 2, known: projections });
      expectSameFigures(db, 2);
      db.close();
    } finally {
      dir.cleanup();
    }
  }, 120_000);

  // Last: it changes the history the tests above read.
  it('takes a disposed case\'s alerts out of the trend as the SQL it replaced did (the model purges them)', async () => {
    const year = { from: '2025-01-01', to: '2025-12-31' };
    const busiest = rm.db
      .prepare('SELECT referral_id FROM alerts_items WHERE acknowledged_at IS NOT NULL AND raised_at < ? GROUP BY referral_id ORDER BY count(*) DESC, referral_id LIMIT 3')
      .pluck()
      .all('2026-01-01') as string[];
    expect(busiest.length).toBe(3);
    const before = monthlyTrend(rm.db, year).totals.alertsRaised;
    await rm.given(
      busiest.map((referralId) =>
        event('RetentionReviewed', { referralId, decision: 'dispose', mopiGroup: 3, nextReviewDue: null, disposedParties: [], personal: { erased: true } }, '2031-01-01T10:00:00Z'),
      ),
    );
    expect(monthlyTrend(rm.db, year).totals.alertsRaised).toBeLessThan(before);
    expectSameFigures(rm.db, 3);
  });
});
