import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reoffendingStats, reoffendingStatsRows, reoffendingCsvColumns, toCsv } from '@hru/projections';
import { crime } from './support/perpetrators.js';
import { A, A2, B, B2, C, C2, D, F, F2, id, quarter, reoffendingHistory } from './support/reoffending-history.js';
import { startReadModels, type ReadModels } from './support/read-models.js';

describe('re-offending after an intervention', () => {
  let rm: ReadModels;
  beforeAll(async () => {
    rm = await startReadModels();
    await rm.given([...reoffendingHistory, crime(id(42), { perpetrator: 'pty-p5', victim: 'pty-v8', recordedOn: '2025-05-01' })]);
  });
  afterAll(() => rm.close());

  it('counts the cohort by intervention start and re-offences within 12 months, split by victim', () => {
    const stats = reoffendingStats(rm.db, { ...quarter, windowMonths: 12, asOf: '2026-06-30' });
    // Re-offended: A (A2, same victim), B (B2 first, new victim), F (F2 by the link; its victim has another
    // system's party id, so "new"). Not: C (C2 after the window), D (D2 not counted, D3 on the start day).
    expect(stats.afterInterventionStart).toEqual({
      cohort: 5,
      reoffended: 3,
      reoffendedPct: 60,
      sameVictim: 1,
      sameVictimPct: 20,
      newVictim: 2,
      newVictimPct: 40,
      stillInFollowUp: 0,
      byProblemBehaviour: [
        { problemBehaviour: 'serial_domestic_abuse', cohort: 1, reoffended: 1, reoffendedPct: 100, sameVictim: 0, sameVictimPct: 0, newVictim: 1, newVictimPct: 100, stillInFollowUp: 0 },
        { problemBehaviour: 'stalking', cohort: 4, reoffended: 2, reoffendedPct: 50, sameVictim: 1, sameVictimPct: 25, newVictim: 1, newVictimPct: 25, stillInFollowUp: 0 },
      ],
    });
    const byId = Object.fromEntries(stats.members.map((m) => [m.referralId, m]));
    expect(Object.keys(byId).sort()).toEqual([A, B, C, D, F].sort());
    expect(byId[A]).toEqual({
      referralId: A,
      problemBehaviour: 'stalking',
      followUpFrom: '2025-01-10', // the plan, before the first intervention (15 January)
      followUpTo: '2026-01-10',
      reoffended: true,
      firstReoffenceReferralId: A2, // not A4, recorded before the start
      firstReoffenceOn: '2025-06-01',
      sameVictim: true,
    });
    expect(byId[B]).toMatchObject({ firstReoffenceReferralId: B2, sameVictim: false });
    expect(byId[C]).toMatchObject({ followUpFrom: '2025-02-15', reoffended: false, firstReoffenceReferralId: null, sameVictim: null });
    expect(byId[D]).toMatchObject({ followUpFrom: '2025-03-31', reoffended: false });
    expect(byId[F]).toMatchObject({ firstReoffenceReferralId: F2, sameVictim: false });
  });

  it('follows the completed-therapy cohort from the completion date', () => {
    const stats = reoffendingStats(rm.db, { ...quarter, windowMonths: 12, asOf: '2026-06-30' });
    // C completed on 20 March 2025; C2 on 1 March 2026 is within 12 months of that, against the same victim.
    expect(stats.afterCompletedTherapeuticIntervention).toEqual({
      cohort: 1,
      reoffended: 1,
      reoffendedPct: 100,
      sameVictim: 1,
      sameVictimPct: 100,
      newVictim: 0,
      newVictimPct: 0,
      stillInFollowUp: 0,
    });
    expect(stats.therapeuticMembers).toMatchObject([{ referralId: C, followUpFrom: '2025-03-20', firstReoffenceReferralId: C2 }]);
  });

  it('widens or narrows with the window, and says who is still in follow-up', () => {
    // 24 months: C2 now counts for C (same victim).
    expect(reoffendingStats(rm.db, { ...quarter, windowMonths: 24, asOf: '2026-06-30' }).afterInterventionStart).toMatchObject({
      cohort: 5,
      reoffended: 4,
      reoffendedPct: 80,
      sameVictim: 2,
      newVictim: 2,
    });
    // 6 months: A2 (1 June, window to 10 July), B2 (5 May, to 1 August) and F2 (1 April, to 20 July) still count.
    expect(reoffendingStats(rm.db, { ...quarter, windowMonths: 6, asOf: '2026-06-30' }).afterInterventionStart).toMatchObject({ reoffended: 3 });
    // Read on 31 December 2025, C (window to 15 February 2026) and D (to 31 March 2026) may still re-offend.
    expect(reoffendingStats(rm.db, { ...quarter, windowMonths: 12, asOf: '2025-12-31' }).afterInterventionStart.stillInFollowUp).toBe(2);
    // April: E alone, re-offending on 1 May 2025 against the same victim.
    expect(reoffendingStats(rm.db, { from: '2025-04-01', to: '2025-04-30', windowMonths: 12, asOf: '2026-06-30' }).afterInterventionStart).toMatchObject({
      cohort: 1,
      reoffended: 1,
      sameVictim: 1,
    });
    expect(reoffendingStats(rm.db, { from: '2024-01-01', to: '2024-12-31', windowMonths: 12, asOf: '2026-06-30' }).afterInterventionStart).toMatchObject({
      cohort: 0,
      reoffendedPct: null,
    });
  });

  it('writes the figures as statistic,value CSV', () => {
    const csv = toCsv(reoffendingStatsRows(reoffendingStats(rm.db, { ...quarter, windowMonths: 12, asOf: '2026-06-30' })), reoffendingCsvColumns);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('statistic,value');
    expect(lines).toContain('afterInterventionStart.reoffendedPct,60');
    expect(lines).toContain('afterInterventionStart.stalking.sameVictim,1');
    expect(lines).toContain('afterCompletedTherapeuticIntervention.cohort,1');
  });

  it('gives the same figures after a rebuild from the log', async () => {
    const before = reoffendingStats(rm.db, { ...quarter, windowMonths: 24, asOf: '2026-06-30' });
    await rm.runner.rebuild();
    expect(reoffendingStats(rm.db, { ...quarter, windowMonths: 24, asOf: '2026-06-30' })).toEqual(before);
  });
});
