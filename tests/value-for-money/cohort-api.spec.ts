/** The cohort's best and worst cases per perspective through `GET /v1/stats/value-for-money`, JSON and CSV. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

const year = '2020/21';
const costs = {
  source: 'spec figures',
  reportingYear: year,
  staffHourByAgency: { police: 60 },
  baselineReoffendingRange: { low: 0, high: 100 },
  harmCosts: {
    stalking_and_harassment: { priceYear: year, state: { police: 100, courts: 0, health: 0 }, victim: { physical_emotional: 400, lost_output: 0 }, society: { wider: 0 } },
    homicide: { priceYear: year, state: { police: 10_000, courts: 0, health: 0 }, victim: { physical_emotional: 90_000, lost_output: 0 }, society: { wider: 0 } },
  },
  harmMix: { stalking: { best_case: { stalking_and_harassment: 1 }, worst_case: { stalking_and_harassment: 0.9, homicide: 0.1 } } },
};

let t: TestApp;
let officer: string;
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(officer) });

beforeAll(async () => {
  t = await createTestApp({ env: { HRU_UNIT_COSTS: JSON.stringify(costs) }, now: () => new Date('2027-06-30T12:00:00Z') });
  officer = await t.token('officer');
  const send = async (id: string, name: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/${name}`, headers: bearer(officer), payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  // Two adopted stalking cases with an intervention in January 2026, neither re-offending; 60 police minutes: £60.
  for (const suspect of ['P-8001', 'P-8002']) {
    const body = intakeBody({ source: { system: 'niche', crimeReference: `CC/VFM/${suspect}-${process.pid}`, recordedAt: '2026-01-05T10:00:00Z' }, suspect: { ref: suspect, name: 'Sam Example' } });
    const id = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: body })).json().referralId as string;
    await send(id, 'triage', { decision: 'proceed', reason: 'fixated' });
    await send(id, 'screen', { decision: 'adopt', reason: 'adds value' });
    await send(id, 'record-intervention', { intervention: { kind: 'spo_advised' }, occurredOn: '2026-01-20' });
    await send(id, 'log-time', { agency: 'police', minutes: 30, activity: 'case work' });
  }
});
afterAll(async () => t.close());

describe('cohort value for money per perspective', () => {
  it('gives the best and the worst case per perspective against the cohort’s logged cost', async () => {
    const body = await eventually(
      async () => (await get('/v1/stats/value-for-money?from=2026-01-01&to=2026-03-31')).json(),
      (b) => b.costOfIntervention === 60 && b.scenarios?.[1]?.total !== 0,
    );
    const [best, worst] = body.scenarios;
    // Best: baseline 0%, nothing avoided. Worst: 100% of 2 = 2 avoided, each 0.9 harassment + 0.1 homicide:
    // state 0.9 × 100 + 0.1 × 10,000 = 1,090; victim 0.9 × 400 + 0.1 × 90,000 = 9,360.
    expect(best).toMatchObject({ scenario: 'best_case', baselineReoffendingPct: 0, total: 0 });
    expect(worst.costsAvoided).toEqual([
      { perspective: 'state', value: 2_180 },
      { perspective: 'victim', value: 18_720 },
      { perspective: 'society', value: 0 },
    ]);
    expect(worst.ratios).toContainEqual({ of: 'state', costsAvoided: 2_180, costOfIntervention: 60, ratio: 36.33 });
    expect(worst.ratios).toContainEqual({ of: 'total', costsAvoided: 20_900, costOfIntervention: 60, ratio: 348.33 });
    const csv = (await get('/v1/stats/value-for-money?from=2026-01-01&to=2026-03-31&format=csv')).body.split('\r\n');
    expect(csv).toContain('costOfIntervention,60,GBP,sum of staffCost.*');
    expect(csv).toContain('worst_case.benefitCostRatio.victim,312,ratio,worst_case.costsAvoided.victim / costOfIntervention (none when no staff time was logged)');
  });
});
