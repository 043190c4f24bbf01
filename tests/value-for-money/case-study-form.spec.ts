/**
 * The case-study form: where the commands are accepted, what they record (author, personal reason), withdrawal,
 * probabilities and uplift in the pricing, and who reads the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

// Violence with injury at £1,000 to the state in 2015/16 prices; reported in 2020/21, an index of 80 → 100: £1,250.
const costs = {
  reportingYear: '2020/21',
  priceIndex: { '2015/16': 80, '2020/21': 100 },
  staffHourByAgency: { police: 60, nhs: 90 },
  harmCosts: {
    violence_with_injury: { priceYear: '2015/16', state: { police: 400, courts: 500, health: 100 }, victim: { physical_emotional: 2_000, lost_output: 0 }, society: { wider: 0 } },
    homicide: { priceYear: '2020/21', state: { police: 10_000, courts: 20_000, health: 0 }, victim: { physical_emotional: 1_000_000, lost_output: 500_000 }, society: { wider: 30_000 } },
  },
};

let t: TestApp;
let officer: string;

const send = (id: string, name: string, payload: object, token = officer) =>
  t.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/${name}`, headers: bearer(token), payload });

async function ok(id: string, name: string, payload: object) {
  const res = await send(id, name, payload);
  expect(res.statusCode, res.body).toBe(200);
}

async function intake(): Promise<string> {
  return (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId;
}

async function adopted(): Promise<string> {
  const id = await intake();
  await ok(id, 'triage', { decision: 'proceed', reason: 'fixated' });
  await ok(id, 'screen', { decision: 'adopt', reason: 'escalating' });
  return id;
}

const study = async (id: string, token = officer) => t.app.inject({ method: 'GET', url: `/v1/referrals/${id}/value-for-money`, headers: bearer(token) });

beforeAll(async () => {
  t = await createTestApp({ env: { HRU_UNIT_COSTS: JSON.stringify(costs) } });
  officer = await t.token('officer', 'u-officer-1');
});
afterAll(async () => t.close());

describe('where the case-study commands are accepted', () => {
  it('refuses a case the unit has not adopted, with 409', async () => {
    const id = await intake();
    const res = await send(id, 'record-counterfactual-harm', { harm: 'homicide', perspectives: 'all', scenario: 'worst_case', reason: 'threats to kill' });
    expect(res.statusCode).toBe(409);
    await ok(id, 'triage', { decision: 'proceed', reason: 'fixated' });
    await ok(id, 'screen', { decision: 'advice_only', reason: 'advice suffices' });
    expect((await send(id, 'record-counterfactual-harm', { harm: 'homicide', perspectives: 'all', scenario: 'worst_case', reason: 'x' })).statusCode).toBe(409);
  });

  it('takes them on an adopted case, open and after closure, and lists them as allowed', async () => {
    const id = await adopted();
    const view = await t.app.inject({ method: 'GET', url: `/v1/referrals/${id}`, headers: { ...bearer(officer), 'x-justification': 'case study test' } });
    expect(view.json().allowedCommands).toEqual(expect.arrayContaining(['record-counterfactual-harm', 'withdraw-counterfactual-harm']));
    const supervisor = await t.token('supervisor');
    expect((await send(id, 'close', { reason: 'done' }, supervisor)).statusCode).toBe(200);
    await ok(id, 'record-counterfactual-harm', { harm: 'violence_with_injury', perspectives: ['state'], scenario: 'best_case', reason: 'would have assaulted' });
    expect((await study(id)).json().scenarios[0].total).toBe(1_250);
  });

  it('validates the body: one of probability and scenario, known harms and perspectives', async () => {
    const id = await adopted();
    const bad = [
      { harm: 'homicide', perspectives: 'all', reason: 'neither' },
      { harm: 'homicide', perspectives: 'all', probability: 0.5, scenario: 'best_case', reason: 'both' },
      { harm: 'homicide', perspectives: 'all', probability: 1.5, reason: 'over 1' },
      { harm: 'burglary', perspectives: 'all', probability: 0.5, reason: 'not a harm of the table' },
      { harm: 'homicide', perspectives: ['neighbours'], probability: 0.5, reason: 'not a perspective' },
      { harm: 'homicide', perspectives: 'all', probability: 0.5 },
    ];
    for (const payload of bad) expect((await send(id, 'record-counterfactual-harm', payload)).statusCode, JSON.stringify(payload)).toBe(400);
  });
});

describe('what is recorded, and how it is priced', () => {
  let id: string;
  beforeAll(async () => {
    id = await adopted();
    await ok(id, 'log-time', { agency: 'police', minutes: 90, activity: 'visit' }); // £90
    await ok(id, 'log-time', { agency: 'nhs', minutes: 40, activity: 'assessment' }); // £60
    await ok(id, 'record-counterfactual-harm', { harm: 'violence_with_injury', perspectives: 'all', scenario: 'best_case', reason: 'Alex would have been hurt' });
    await ok(id, 'record-counterfactual-harm', { harm: 'homicide', perspectives: ['victim', 'state'], probability: 0.02, reason: 'threats to kill' });
    await ok(id, 'record-counterfactual-harm', { harm: 'homicide', perspectives: 'all', scenario: 'best_case', reason: 'recorded in error' });
    await ok(id, 'withdraw-counterfactual-harm', { harmId: 'h3', reason: 'homicide is not the best case' });
  });

  it('records each harm as an event with its author and the reason under personal', async () => {
    const events = await t.store.readStream(id);
    const recorded = events.filter((e) => e.type === 'CounterfactualHarmRecorded');
    expect(recorded.map((e) => e.data)).toEqual([
      expect.objectContaining({ harmId: 'h1', harm: 'violence_with_injury', perspectives: ['state', 'victim', 'society'], weight: { kind: 'scenario', scenario: 'best_case' }, personal: { reason: 'Alex would have been hurt' } }),
      expect.objectContaining({ harmId: 'h2', harm: 'homicide', perspectives: ['state', 'victim'], weight: { kind: 'probability', probability: 0.02 } }),
      expect.objectContaining({ harmId: 'h3' }),
    ]);
    expect(recorded[0]!.metadata.actor).toMatchObject({ kind: 'person', sub: 'u-officer-1', roles: ['officer'] });
    // On disk the reason is ciphertext: personal data is encrypted per case.
    const raw = await t.rawStore.readStream(id);
    expect(JSON.stringify(raw.map((e) => e.data))).not.toContain('Alex would have been hurt');
    expect(raw.find((e) => e.type === 'CounterfactualHarmRecorded')).toBeDefined();
  });

  it('prices the standing harms: uplifted, weighed by probability, the withdrawn one left out, no reasons', async () => {
    const res = await study(id);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.costOfIntervention).toBe(150);
    expect(body.scenarios.map((s: { scenario: string }) => s.scenario)).toEqual(['best_case', 'expected']);
    const [best, expected] = body.scenarios;
    // 2015/16 figures × 100 / 80: state 1,000 → 1,250; victim 2,000 → 2,500; society 0.
    expect(best.totals).toEqual([
      { perspective: 'state', value: 1_250 },
      { perspective: 'victim', value: 2_500 },
      { perspective: 'society', value: 0 },
    ]);
    expect(best.rows.every((r: { harmId: string }) => r.harmId === 'h1')).toBe(true);
    expect(best.ratios.at(-1)).toEqual({ of: 'total', costsAvoided: 3_750, costOfIntervention: 150, ratio: 25 });
    // Homicide at 2%: state 30,000 × 0.02 = 600; victim 1,500,000 × 0.02 = 30,000.
    expect(expected.rows).toEqual([
      { harmId: 'h2', harm: 'homicide', perspective: 'state', probability: 0.02, value: 600, recordedBy: 'u-officer-1', recordedAt: expect.any(String) },
      { harmId: 'h2', harm: 'homicide', perspective: 'victim', probability: 0.02, value: 30_000, recordedBy: 'u-officer-1', recordedAt: expect.any(String) },
    ]);
    expect(expected.ratios).toEqual([
      { of: 'state', costsAvoided: 600, costOfIntervention: 150, ratio: 4 },
      { of: 'victim', costsAvoided: 30_000, costOfIntervention: 150, ratio: 200 },
      { of: 'total', costsAvoided: 30_600, costOfIntervention: 150, ratio: 204 },
    ]);
    const line = (item: string) => body.lines.find((l: { item: string }) => l.item === item);
    expect(line('best_case.h1.state.courts')).toMatchObject({ value: 625, source: expect.stringContaining('500 at 2015/16 prices × priceIndex 2020/21 / 2015/16') });
    expect(line('priceIndex.2015/16')).toMatchObject({ value: 80, unit: 'index' });
    expect(line('staffCost.nhs')).toMatchObject({ value: 60, source: 'staffMinutes.nhs / 60 × staffHourCost.nhs' });
    expect(res.body).not.toMatch(/Alex|threats to kill|in error/);
  });

  it('refuses to withdraw a harm twice or one the case does not have', async () => {
    expect((await send(id, 'withdraw-counterfactual-harm', { harmId: 'h3', reason: 'again' })).statusCode).toBe(409);
    expect((await send(id, 'withdraw-counterfactual-harm', { harmId: 'h9', reason: 'unknown' })).statusCode).toBe(409);
  });

  it('is read by supervisors, officers and auditors; a case with no harms has no scenarios and no ratio without time', async () => {
    expect((await study(id, await t.token('auditor'))).statusCode).toBe(200);
    expect((await study(id, await t.token('victim_advocate'))).statusCode).toBe(403);
    const bare = await adopted();
    expect((await study(bare)).json()).toMatchObject({ costOfIntervention: 0, scenarios: [] });
    await ok(bare, 'record-counterfactual-harm', { harm: 'homicide', perspectives: ['society'], scenario: 'worst_case', reason: 'r' });
    expect((await study(bare)).json().scenarios[0].ratios).toEqual([
      { of: 'society', costsAvoided: 30_000, costOfIntervention: 0, ratio: null },
      { of: 'total', costsAvoided: 30_000, costOfIntervention: 0, ratio: null },
    ]);
    expect((await study('ref-00000000000000000000000000000000')).statusCode).toBe(404);
  });
});
