import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlineStats, headlineStatsRows, outcomeStats, outcomeStatsRows, outcomeCsvColumns, toCsv } from '@hru/projections';
import { given, received, referralId } from './support/history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(referralId) as [string, string, string, string, string];
const march = { from: '2026-03-01', to: '2026-03-31' };

/** A fixed history; every expectation below is counted by hand from it (comments say which events count). */
describe('headline and outcome statistics', () => {
  let rm: ReadModels;
  beforeAll(async () => {
    rm = await startReadModels();
    await rm.given([
      received(a, '2026-02-20T09:00:00Z', 'stalking'),
      received(b, '2026-03-05T09:00:00Z', 'serial_domestic_abuse'),
      received(c, '2026-03-10T09:00:00Z', 'stalking'),
      received(d, '2026-01-05T09:00:00Z', 'querulance'),
      given.closed(d, '2026-02-10T09:00:00Z'),
      given.intervention(a, 1, '2026-03-03', { kind: 'victim_advocate_contact', outcome: 'engaged' }),
      given.intervention(a, 2, '2026-03-04', { kind: 'victim_advocate_contact', outcome: 'declined' }),
      given.intervention(b, 3, '2026-03-06', { kind: 'victim_advocate_contact', outcome: 'declined' }),
      given.intervention(c, 4, '2026-02-28', { kind: 'victim_advocate_contact', outcome: 'uncontactable' }),
      given.intervention(a, 5, '2026-03-07', { kind: 'spo_advised' }),
      given.intervention(c, 6, '2026-04-01', { kind: 'spo_advised' }),
      given.intervention(a, 7, '2026-03-15', { kind: 'spo_applied', order: 'interim' }),
      given.intervention(d, 8, '2026-01-20', { kind: 'mappa_support', category: 1, level: 2 }),
      given.intervention(a, 9, '2026-02-21', { kind: 'mappa_support', category: 2, level: 2 }),
      given.intervention(b, 10, '2026-03-08', { kind: 'da_disclosure_to_probation' }),
      given.intervention(a, 11, '2026-03-09', { kind: 'da_disclosure_to_probation' }),
      given.intervention(c, 12, '2026-03-12', { kind: 'tactical_review' }),
      given.intervention(c, 13, '2026-03-13', { kind: 'investigative_review' }),
      given.intervention(a, 14, '2026-03-14', { kind: 'tactical_review' }),
      given.intervention(b, 15, '2026-03-11', { kind: 'direct_constable_intervention' }),
      given.intervention(c, 16, '2026-03-20', { kind: 'therapeutic_intervention_started' }),
      given.intervention(c, 17, '2026-03-25', { kind: 'therapeutic_intervention_completed' }),
      given.directed(b, '2026-03-12T09:00:00Z', 'health_pathway'),
      given.plan(c, '2026-03-18T09:00:00Z', ['health_pathway_consultation']),
      given.directed(d, '2026-01-25T09:00:00Z', 'health_pathway'),
      given.closed(b, '2026-03-20T09:00:00Z'),
      received(e, '2026-04-02T09:00:00Z', 'stalking'),
      given.outcome(a, 'CR1', '1', '2026-03-10'),
      given.outcome(a, 'CR2', '3', '2026-03-12'),
      given.outcome(b, 'CR3', '16', '2026-03-15'),
      given.outcome(c, 'CR4', '1', '2026-02-27'),
      given.outcome(c, 'CR5', '2', '2026-03-01'),
      given.outcome(c, 'CR5', '1', '2026-03-20'),
      given.outcome(b, 'CR6', '18', '2026-03-30'),
    ]);
  });
  afterAll(() => rm.close());

  it('counts the DOMAIN.md §5 headline figures for a period', () => {
    expect(headlineStats(rm.db, march)).toEqual({
      ...march,
      victimEngagement: { offered: 2, engaged: 1, ratePct: 50 }, // a (engaged, declined), b (declined); c's contact is in February
      victimsReceivingDirectAdvocateSupport: 1, // a
      crimesGivenTacticalOrInvestigativeReview: 2, // c (two reviews, one crime), a
      spoAdvised: 1, // a; c's is in April
      spoApplicationsMadeOrSupported: 1,
      mappaCasesSupported: 1, // a (support from February, open in March); d closed in February
      daDisclosuresToProbation: 2,
      directCaseInterventionsByConstables: 1,
      casesOpenToHealthProfessionals: 2, // b (directed), c (plan action); d closed before March
      therapeuticInterventionsForPerpetrators: 1, // started, not completed
      activeCaseload: { total: 2, byProblemBehaviour: { stalking: 2 } }, // a, c; b closed 20 March, e arrives in April
      // Legacy interventions count as the measure steps they stand for; this history has no clocks and no other measure.
      spo: { advised: 1, applied: 1, granted: 0, breached: 0 },
      dvpo: { notices: 0, ordersGranted: 0, conversionPct: null, breached: 0 },
      bail: { granted: 0, extensions: { inspector: 0, superintendent: 0, court: 0 } },
      victimsCodeCompliance: { due: 0, metInTime: 0, metLate: 0, missed: 0, pending: 0, ratePct: null },
      spoNotificationCompliance: { due: 0, metInTime: 0, metLate: 0, missed: 0, pending: 0, ratePct: null },
    });
  });

  it('reproduces an earlier period from the same facts', () => {
    expect(headlineStats(rm.db, { from: '2026-02-01', to: '2026-02-28' })).toMatchObject({
      victimEngagement: { offered: 1, engaged: 0, ratePct: 0 }, // c's uncontactable contact
      mappaCasesSupported: 2, // a, and d (supported in January, open until 10 February)
      casesOpenToHealthProfessionals: 1, // d, directed in January, open until 10 February
      activeCaseload: { total: 1, byProblemBehaviour: { stalking: 1 } }, // a
    });
    expect(headlineStatsRows(headlineStats(rm.db, march)).find((r) => r.statistic === 'activeCaseload.stalking')).toEqual({
      statistic: 'activeCaseload.stalking',
      value: 2,
    });
  });

  it('rates outcomes by outcome date, the latest outcome of each crime counting', () => {
    const comparator = { label: 'force, stalking, 2025', chargedPct: 9.1, cautionedPct: 1.2 };
    const stats = outcomeStats(rm.db, march, comparator);
    // March: CR1 (1), CR2 (3), CR3 (16), CR5 (now 1), CR6 (18); CR4 is February.
    expect(stats.overall).toEqual({
      crimes: 5,
      chargedOrSummonsed: 2,
      cautioned: 1,
      victimWithdrawal: 1,
      chargedPct: 40,
      cautionedPct: 20,
      victimWithdrawalPct: 20,
    });
    expect(stats.byProblemBehaviour).toEqual([
      { problemBehaviour: 'serial_domestic_abuse', crimes: 2, chargedOrSummonsed: 0, cautioned: 0, victimWithdrawal: 1, chargedPct: 0, cautionedPct: 0, victimWithdrawalPct: 50 },
      { problemBehaviour: 'stalking', crimes: 3, chargedOrSummonsed: 2, cautioned: 1, victimWithdrawal: 0, chargedPct: 66.7, cautionedPct: 33.3, victimWithdrawalPct: 0 },
    ]);
    expect(stats.comparator).toEqual(comparator);
    expect(toCsv(outcomeStatsRows(stats), outcomeCsvColumns).split('\r\n').slice(0, 2)).toEqual([
      'group,crimes,chargedOrSummonsed,cautioned,victimWithdrawal,chargedPct,cautionedPct,victimWithdrawalPct',
      'overall,5,2,1,1,40,20,20',
    ]);
    expect(outcomeStats(rm.db, { from: '2026-05-01', to: '2026-05-31' }).overall).toMatchObject({ crimes: 0, chargedPct: null });
  });

  it('gives the same figures after a rebuild from the log', async () => {
    const before = [headlineStats(rm.db, march), outcomeStats(rm.db, march)];
    await rm.runner.rebuild();
    expect([headlineStats(rm.db, march), outcomeStats(rm.db, march)]).toEqual(before);
  });
});
