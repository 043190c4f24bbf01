/**
 * The pre-aggregated statistics (issue #20) against the SQL they replaced, kept as the oracle in ./support/oracle:
 * over a seeded random history, every figure of the headline, the trend, the outcome rates, re-offending (members
 * and pages included) and value for money is the same for random periods and windows, and stays the same after a
 * rebuild. The history has a prolific suspect, corrected parties and crime dates, and reopened (linked) cases.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertsProjection,
  allProjections,
  cohortScenarios,
  defaultUnitCosts,
  headlineStats,
  monthlyTrend,
  monthsOf,
  openReadModelDb,
  outcomeStats,
  rebuildProjections,
  recountAlerts,
  recountOutcomes,
  recountStatistics,
  reoffendingReport,
  reoffendingStats,
  reoffendingWindows,
  valueForMoney,
  type Period,
} from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { headlineStats as oracleHeadline } from './support/oracle/stats-queries.js';
import { monthlyTrend as oracleTrend } from './support/oracle/stats-trend.js';
import { outcomeStats as oracleOutcomes } from './support/oracle/outcomes-queries.js';
import { event } from './support/history.js';
import { reoffendingStats as oracleReoffending } from './support/oracle/reoffending-queries.js';
import { valueForMoney as oracleValueForMoney } from './support/oracle/vfm-calculation.js';
import { cohortScenarios as oracleScenarios } from './support/oracle/vfm-cohort-perspectives.js';
import { dayOf, HISTORY_DAYS, randomHistory, randomPeriod, seeded } from './support/random-history.js';
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

/** Re-offending and value for money for the period, in a random window, read on a random day. */
function expectSameCohorts(db: Database.Database, p: Period, r: ReturnType<typeof seeded>): void {
  const q = { ...p, windowMonths: r.chance(0.8) ? r.pick(reoffendingWindows) : r.int(1, 120), asOf: dayOf(r.int(0, HISTORY_DAYS + 400)) };
  const at = `${p.from}..${p.to}, ${q.windowMonths} months, as of ${q.asOf}`;
  const oracle = oracleReoffending(db, q);
  expect(reoffendingStats(db, q), `re-offending ${at}`).toEqual(oracle);
  const limit = r.int(1, 4);
  // The page after the second member (or the first page, when there are fewer).
  const skip = oracle.members.length >= 2 ? 2 : 0;
  const page = reoffendingReport(db, q, { limit, membersAfter: skip ? oracle.members[skip - 1]!.referralId : undefined });
  expect(page.members.members, `members page ${at}`).toEqual(oracle.members.slice(skip, skip + limit));
  expect(page.members.next, `members cursor ${at}`).toBe(oracle.members.length > skip + limit ? oracle.members[skip + limit - 1]!.referralId : null);
  const vfm = valueForMoney(db, q, defaultUnitCosts);
  expect(vfm, `value for money ${at}`).toEqual(oracleValueForMoney(db, q, defaultUnitCosts));
  expect(cohortScenarios(db, q, defaultUnitCosts, vfm.costOfIntervention), `scenarios ${at}`).toEqual(oracleScenarios(db, q, defaultUnitCosts, vfm.costOfIntervention));
}

function expectSameFigures(db: Database.Database, seed: number): void {
  const r = seeded(seed + 100);
  for (const p of periods(seed)) {
    expect(headlineStats(db, p), `headline ${p.from}..${p.to}`).toEqual(oracleHeadline(db, p));
    expect(monthlyTrend(db, trendPeriod(p)), `trend ${p.from}..${p.to}`).toEqual(oracleTrend(db, trendPeriod(p)));
    expect(outcomeStats(db, p), `outcomes ${p.from}..${p.to}`).toEqual(oracleOutcomes(db, p));
    expectSameCohorts(db, p, r);
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
    const reoffending = oracleReoffending(rm.db, { ...year, windowMonths: 12, asOf: '2027-06-30' });
    expect(reoffending.afterInterventionStart.reoffended).toBeGreaterThan(3);
    expect(reoffending.afterInterventionStart.sameVictim).toBeGreaterThan(0);
    expect(reoffending.afterInterventionStart.newVictim).toBeGreaterThan(0);
    expect(reoffending.afterCompletedTherapeuticIntervention.cohort).toBeGreaterThan(3);
    // The prolific suspect's members, and members whose first re-offence came through a reopening only.
    const prolific = rm.db.prepare("SELECT count(*) FROM reoffending_members m JOIN reoffending_parties p ON p.referral_id = m.referral_id AND p.party_id = 'pty-prolific'").pluck().get() as number;
    expect(prolific).toBeGreaterThan(20);
    const throughLinks = rm.db
      .prepare(
        `SELECT count(*) FROM reoffending_members m JOIN reoffending_links l ON l.referral_id = m.referral_id AND l.linked_referral_id = m.first_id
         WHERE NOT EXISTS (SELECT 1 FROM reoffending_parties a JOIN reoffending_parties b ON b.party_id = a.party_id AND b.referral_id = m.first_id AND b.role = 'perpetrator'
           WHERE a.referral_id = m.referral_id AND a.role = 'perpetrator')`,
      )
      .pluck()
      .get() as number;
    expect(throughLinks).toBeGreaterThan(0);
    expect(oracleValueForMoney(rm.db, { ...year, windowMonths: 12, asOf: '2027-06-30' }, defaultUnitCosts).costOfIntervention).toBeGreaterThan(0);
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
