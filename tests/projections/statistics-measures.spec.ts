/**
 * Legal measures and statutory clocks in the period statistics (issue #17): Victims' Code and SPO notification
 * compliance, SPO counts from lifecycles and legacy interventions alike, DVPN → DVPO conversion, bail extensions by
 * authority, MAPPA cases supported. Every expectation is counted by hand from the fixed history (comments say which).
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlineStats, headlineStatsRows, openReadModelDb, rebuildProjections } from '@hru/projections';
import { tempDir } from '../support/temp-dir.js';
import { deadline, measure } from './support/deadline-history.js';
import { event, given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const [a, b, c, d] = [1, 2, 3, 4].map(referralId) as [string, string, string, string];
const april = { from: '2026-04-01', to: '2026-04-30' };
const T = (day: string, time = '10:00:00') => `2026-${day}T${time}Z`;

const history = [
  received(a, T('03-01')),
  received(b, T('01-15'), 'serial_domestic_abuse'),
  received(c, T('03-10')),
  received(d, T('03-20')),
  // SPOs. a: advised in March, applied, granted, served and breached in April, breached again in May.
  measure.spo(a, 'm1', T('03-30'), { step: 'advised' }),
  measure.spo(a, 'm1', T('04-02'), { step: 'applied', order: 'full' }),
  measure.spo(a, 'm1', T('04-10'), { step: 'granted', order: 'full', endsOn: null }),
  measure.spo(a, 'm1', T('04-11'), { step: 'served' }),
  measure.spo(a, 'm1', T('04-20'), { step: 'breached', breachOn: '2026-04-19', crimeReference: 'CC/26/000900' }),
  measure.spo(a, 'm1', T('05-03'), { step: 'breached', breachOn: '2026-05-02', crimeReference: 'CC/26/000901' }),
  // b: legacy interventions, advised and granted in April.
  given.intervention(b, 1, '2026-04-05', { kind: 'spo_advised' }),
  given.intervention(b, 2, '2026-04-06', { kind: 'spo_granted', order: 'interim' }),
  // c: advised at 00:30 BST on 1 April (still 31 March in UTC): April. Applied on 30 April, corrected to 1 May: May.
  measure.spo(c, 'm1', '2026-03-31T23:30:00Z', { step: 'advised' }),
  measure.spo(c, 'm1', T('04-30'), { step: 'applied', order: 'interim' }),
  measure.corrected(c, 'm1', 'applied', T('05-01'), T('04-30'), T('05-02')),
  // DVPN/DVPO. a: notice and order in April, breached in April; b: notice in April, no order; c: notice in March, order in April.
  measure.dvpo(a, 'm2', T('04-03'), { step: 'notice_issued', authorisedBy: 'superintendent' }),
  measure.dvpo(a, 'm2', T('04-05'), { step: 'order_granted', days: 28 }),
  measure.dvpo(a, 'm2', T('04-16'), { step: 'breached', breachOn: '2026-04-15', crimeReference: 'CC/26/000902' }),
  measure.dvpo(b, 'm1', T('04-25'), { step: 'notice_issued', authorisedBy: 'chief_superintendent' }),
  measure.dvpo(b, 'm1', T('04-27'), { step: 'hearing_missed' }),
  measure.dvpo(c, 'm2', T('03-28'), { step: 'notice_issued', authorisedBy: 'superintendent' }),
  measure.dvpo(c, 'm2', T('04-01'), { step: 'order_granted', days: 14 }),
  // Bail. a: granted and extended by an inspector in April, by a superintendent in May; b: granted in February, extended by a court in April.
  measure.bail(a, 'm3', T('04-01', '09:00:00'), { step: 'granted', withConditions: true }),
  measure.bail(a, 'm3', T('04-20'), { step: 'extended', authority: 'inspector', authorisedBy: 'inspector' }),
  measure.bail(a, 'm3', T('05-10'), { step: 'extended', authority: 'superintendent', authorisedBy: 'superintendent' }),
  measure.bail(b, 'm2', T('02-01'), { step: 'granted', withConditions: false }),
  measure.bail(b, 'm2', T('04-28'), { step: 'extended', authority: 'court', until: '2026-08-01' }),
  // MAPPA. c: referred and accepted in April; d: referred and declined.
  measure.mappa(c, 'm3', T('04-12'), { step: 'referred', category: 1, level: 2 }),
  measure.mappa(c, 'm3', T('04-13'), { step: 'accepted' }),
  measure.mappa(d, 'm1', T('04-10'), { step: 'referred', category: 2, level: 1 }),
  measure.mappa(d, 'm1', T('04-11'), { step: 'declined' }),
  // Victims' Code contacts falling due in April: a/d1 met in time, a/d2 missed then met late, b/d1 missed, b/d2 still open,
  // c/d2 due at 00:30 BST on 1 April and met in time. c/d1 cancelled, c/d3 moved into May, a/d3 due in May: none counts.
  deadline.set(a, 'd1', T('04-02', '16:00:00'), T('04-01')),
  deadline.closed(a, 'd1', 'met', T('04-02')),
  deadline.set(a, 'd2', T('04-08', '16:00:00'), T('04-07')),
  deadline.missed(a, 'd2', T('04-08', '16:00:00'), T('04-08', '16:00:01')),
  deadline.closed(a, 'd2', 'met', T('04-09'), true),
  deadline.set(a, 'd3', T('05-02'), T('05-01')),
  deadline.closed(a, 'd3', 'met', T('05-01', '12:00:00')),
  deadline.set(b, 'd1', T('04-10'), T('04-09')),
  deadline.missed(b, 'd1', T('04-10'), T('04-10', '10:00:01')),
  deadline.set(b, 'd2', T('04-29'), T('04-28')),
  deadline.set(c, 'd1', T('04-15'), T('04-14')),
  deadline.closed(c, 'd1', 'cancelled', T('04-14', '12:00:00')),
  deadline.set(c, 'd2', '2026-03-31T23:30:00Z', T('03-31', '09:00:00')),
  deadline.closed(c, 'd2', 'met', T('03-31', '20:00:00')),
  deadline.set(c, 'd3', T('04-20'), T('04-19')),
  deadline.set(c, 'd3', T('05-05'), T('04-19', '12:00:00'), { version: 2 }),
  // SPO notification clocks due in April: a/d4 met in time, b/d3 met in time, c/d4 missed.
  deadline.set(a, 'd4', T('04-14'), T('04-11'), { kind: 'spo_notification', measureId: 'm1' }),
  deadline.closed(a, 'd4', 'met', T('04-13')),
  deadline.set(b, 'd3', T('04-18'), T('04-15'), { kind: 'spo_notification', measureId: 'm3' }),
  deadline.closed(b, 'd3', 'met', T('04-17')),
  deadline.set(c, 'd4', T('04-22'), T('04-19'), { kind: 'spo_notification', measureId: 'm4' }),
  deadline.missed(c, 'd4', T('04-22'), T('04-22', '10:00:01')),
];

describe('legal measures and clocks in the period statistics', () => {
  let rm: ReadModels;
  beforeAll(async () => {
    rm = await startReadModels();
    await rm.given(history);
  });
  afterAll(() => rm.close());

  it('counts compliance, orders, notices, bail and MAPPA for a period', () => {
    const stats = headlineStats(rm.db, april);
    expect(stats).toMatchObject({
      victimsCodeCompliance: { due: 5, metInTime: 2, metLate: 1, missed: 2, pending: 1, ratePct: 50 }, // 2 of the 4 decided
      spoNotificationCompliance: { due: 3, metInTime: 2, metLate: 0, missed: 1, pending: 0, ratePct: 66.7 },
      spo: { advised: 2, applied: 1, granted: 2, breached: 1 }, // advised: b (legacy), c (BST); granted: a, b (legacy)
      spoAdvised: 2,
      spoApplicationsMadeOrSupported: 1,
      dvpo: { notices: 2, ordersGranted: 1, conversionPct: 50, breached: 1 },
      bail: { granted: 1, extensions: { inspector: 1, superintendent: 0, court: 1 } },
      mappaCasesSupported: 1, // c; d's referral was declined
    });
  });

  it('reads the next month from the same facts: May holds the moved and corrected ones', () => {
    expect(headlineStats(rm.db, { from: '2026-05-01', to: '2026-05-31' })).toMatchObject({
      victimsCodeCompliance: { due: 2, metInTime: 1, pending: 1, ratePct: 100 }, // a/d3 met; c/d3 moved here, open
      spo: { advised: 0, applied: 1, granted: 0, breached: 1 }, // c's corrected application; a's second breach
      bail: { granted: 0, extensions: { inspector: 0, superintendent: 1, court: 0 } },
      dvpo: { notices: 0, ordersGranted: 0, conversionPct: null },
    });
  });

  it('gives each figure a CSV row', () => {
    const rows = headlineStatsRows(headlineStats(rm.db, april));
    expect(rows).toEqual(
      expect.arrayContaining([
        { statistic: 'victimsCodeCompliance.ratePct', value: 50 },
        { statistic: 'spoNotificationCompliance.due', value: 3 },
        { statistic: 'dvpo.conversionPct', value: 50 },
        { statistic: 'bail.extensions.court', value: 1 },
        { statistic: 'spo.breached', value: 1 },
      ]),
    );
  });

  it('keeps the figures through a disposal, and a rebuild gives the same figures', async () => {
    const before = headlineStats(rm.db, april);
    await rm.given([
      event('RetentionReviewed', { referralId: d, decision: 'dispose', mopiGroup: 2, nextReviewDue: null, disposedParties: [], personal: { reason: 'reviewed' } }, T('06-01')),
    ]);
    expect(headlineStats(rm.db, april)).toEqual(before);
    const { dir, cleanup } = tempDir('hru-stats-rebuild-');
    let db: Database.Database | undefined;
    try {
      db = openReadModelDb(join(dir, 'rm.sqlite'));
      await rebuildProjections(rm.store, db, ['stats'], undefined, { threads: 2, batchSize: 5 });
      expect(headlineStats(db, april)).toEqual(before);
    } finally {
      db?.close();
      cleanup();
    }
  });
});
