/**
 * The seed's case study ("what could have happened (costs avoided)", January 2021) recorded on one referral through
 * the commands, priced by the API from a cost table holding the seed's figures: every line and total to the penny,
 * and ratios that follow from the case's own logged cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

/** The seed's figures as a cost table, in 2020/21 prices reported in 2020/21 (no uplift); splits are arbitrary. */
const seedCosts = {
  source: 'seed case study figures',
  reportingYear: '2020/21',
  staffHourByAgency: { police: 60 },
  harmCosts: {
    violence_with_injury: {
      priceYear: '2020/21',
      victim: { physical_emotional: 50_000, lost_output: 21_438.41 }, // 71,438.41
      state: { police: 5_000, courts: 10_179.26, health: 5_000 }, // 20,179.26
    },
    stalking_and_harassment: { priceYear: '2020/21', victim: { physical_emotional: 2_682.45, lost_output: 0 } },
    violence_without_injury: {
      priceYear: '2020/21',
      victim: { physical_emotional: 20_000, lost_output: 3_636.47 }, // 23,636.47
      state: { police: 2_718.67, courts: 4_000, health: 1_000 }, // 7,718.67
    },
    suicide: { priceYear: '2020/21', society: { wider: 2_254_500 } },
  },
};

let t: TestApp;
let supervisor: string;
let referralId: string;

async function command(name: string, payload: object) {
  const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${referralId}/commands/${name}`, headers: bearer(supervisor), payload });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp({ env: { HRU_UNIT_COSTS: JSON.stringify(seedCosts) } });
  supervisor = await t.token('supervisor');
  referralId = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId;
  await command('triage', { decision: 'proceed', reason: 'fixated, repeated contact' });
  await command('screen', { decision: 'adopt', reason: 'the unit adds value' });
  // 120 police hours at £60: £7,200 (a log entry is at most a day's minutes).
  for (let i = 0; i < 5; i++) await command('log-time', { agency: 'police', minutes: 1_440, activity: 'case work' });
  const harm = (payload: object) => command('record-counterfactual-harm', { reason: 'the unit’s judgment at closure', ...payload });
  await harm({ harm: 'violence_with_injury', perspectives: ['victim', 'state'], scenario: 'best_case' });
  await harm({ harm: 'stalking_and_harassment', perspectives: ['victim'], scenario: 'worst_case' }); // indirect costs for V
  await harm({ harm: 'violence_without_injury', perspectives: ['victim', 'state'], scenario: 'worst_case' }); // a new victim
  await harm({ harm: 'suicide', perspectives: ['society'], scenario: 'worst_case' }); // the perpetrator's
  await command('close', { reason: 'plan completed' });
});
afterAll(async () => t.close());

const study = async () => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}/value-for-money`, headers: bearer(supervisor) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('the seed case study, recorded and priced', () => {
  it('reproduces every cost line and total of the seed to the penny', async () => {
    const body = await study();
    expect(body).toMatchObject({ referralId, currency: 'GBP', reportingYear: '2020/21', costOfIntervention: 7_200 });
    const [best, worst] = body.scenarios;
    expect(best.scenario).toBe('best_case');
    expect(best.rows.map((r: { harm: string; perspective: string; value: number }) => [r.harm, r.perspective, r.value])).toEqual([
      ['violence_with_injury', 'state', 20_179.26],
      ['violence_with_injury', 'victim', 71_438.41],
    ]);
    expect(best.totals).toEqual([
      { perspective: 'state', value: 20_179.26 }, // TOTAL COSTS TO STATE
      { perspective: 'victim', value: 71_438.41 }, // TOTAL COSTS TO VICTIM
    ]);
    expect(worst.scenario).toBe('worst_case');
    expect(worst.rows.map((r: { harmId: string; perspective: string; value: number }) => [r.harmId, r.perspective, r.value])).toEqual([
      ['h2', 'victim', 2_682.45],
      ['h3', 'state', 7_718.67],
      ['h3', 'victim', 23_636.47],
      ['h4', 'society', 2_254_500],
    ]);
    expect(worst.total).toBe(2_288_537.59); // TOTAL COSTS
  });

  it('divides each total by the case’s logged cost, and shows both figures', async () => {
    const [best, worst] = (await study()).scenarios;
    expect(best.ratios).toEqual([
      { of: 'state', costsAvoided: 20_179.26, costOfIntervention: 7_200, ratio: 2.8 }, // 20,179.26 / 7,200 = 2.8027
      { of: 'victim', costsAvoided: 71_438.41, costOfIntervention: 7_200, ratio: 9.92 },
      { of: 'total', costsAvoided: 91_617.67, costOfIntervention: 7_200, ratio: 12.72 },
    ]);
    expect(worst.ratios.at(-1)).toEqual({ of: 'total', costsAvoided: 2_288_537.59, costOfIntervention: 7_200, ratio: 317.85 });
    // The seed's own ratios imply three different costs; one logged cost cannot give all three.
    expect(20_179.26 / 2.8).toBeCloseTo(7_207, 0);
    expect(71_438.41 / 3.5).toBeCloseTo(20_411, 0);
    expect(2_288_537.59 / 82.4).toBeCloseTo(27_774, 0);
  });

  it('is in the OpenAPI document: the route with its format, and both commands with their bodies', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const route = doc.paths['/v1/referrals/{id}/value-for-money'].get;
    expect(route.summary).toContain('case study');
    expect(route.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'format']));
    expect(doc.paths['/v1/referrals/{id}/commands/record-counterfactual-harm'].post.requestBody).toBeDefined();
    expect(doc.paths['/v1/referrals/{id}/commands/withdraw-counterfactual-harm'].post.requestBody).toBeDefined();
  });

  it('writes the same figures as CSV lines with their sources', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}/value-for-money?format=csv`, headers: bearer(supervisor) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('item,value,unit,source');
    expect(lines).toContain('costOfIntervention,7200,GBP,sum of staffCost.*');
    expect(lines).toContain('worst_case.total,2288537.59,GBP,sum of worst_case.total.*');
    expect(lines).toContain('best_case.ratio.state,2.8,ratio,best_case.total.state / costOfIntervention (none when no staff time was logged)');
    expect(lines.find((l) => l.startsWith('best_case.h1.victim.lost_output,'))).toBe(
      'best_case.h1.victim.lost_output,21438.41,GBP,violence_with_injury: HRU_UNIT_COSTS: seed case study figures (2020/21 prices)',
    );
  });
});
