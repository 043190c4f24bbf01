/** Re-offending, value for money and the configured outcome comparator through the API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@hru/infra';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

let t: TestApp;
let officer: string;
const comparator = { label: 'force comparator', chargedPct: 14.6, cautionedPct: 2.3 };
const unitCosts = { source: 'spec figures', staffHourByAgency: { police: 60 }, baselineReoffendingPct: 100, crimeByProblemBehaviour: { stalking: 1000 } };

async function command(referralId: string, name: string, payload: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${referralId}/commands/${name}`, headers: bearer(officer), payload });
  expect(res.statusCode, res.body).toBe(200);
}

let crimes = 0;
async function intake(suspectRef: string, victimRef: string, recordedAt: string): Promise<string> {
  const body = intakeBody({
    source: { system: 'niche', crimeReference: `CC/RO/${++crimes}-${process.pid}`, recordedAt },
    suspect: { ref: suspectRef, name: 'Sam Example' },
    victim: { ref: victimRef, name: 'Alex Example' },
  });
  const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().referralId as string;
}

async function interventionOn(referralId: string, occurredOn: string) {
  await command(referralId, 'triage', { decision: 'proceed', reason: 'fixated and repeated contact' });
  await command(referralId, 'screen', { decision: 'adopt', reason: 'the unit adds value' });
  await command(referralId, 'record-intervention', { intervention: { kind: 'spo_advised' }, occurredOn });
}

const get = async (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(officer) });
let first: string;
let repeat: string;

beforeAll(async () => {
  t = await createTestApp({
    env: { HRU_OUTCOME_COMPARATOR: JSON.stringify(comparator), HRU_UNIT_COSTS: JSON.stringify(unitCosts) },
    now: () => new Date('2027-06-30T12:00:00Z'),
  });
  officer = await t.token('officer');
  // Suspect P-9001: intervention 20 January 2026, then a new crime against another victim on 1 March.
  first = await intake('P-9001', 'P-1001', '2026-01-10T10:00:00Z');
  await interventionOn(first, '2026-01-20');
  await command(first, 'log-time', { agency: 'police', minutes: 120, activity: 'case work' });
  repeat = await intake('P-9001', 'P-1002', '2026-03-01T10:00:00Z');
  // Suspect P-9002: intervention 1 February 2026, nothing after.
  await interventionOn(await intake('P-9002', 'P-1003', '2026-01-15T10:00:00Z'), '2026-02-01');
});
afterAll(async () => t.close());

describe('re-offending over the API', () => {
  it('counts the cohort by intervention start and the re-offence by the same suspect against a new victim', async () => {
    const body = await eventually(
      async () => (await get('/v1/stats/reoffending?from=2026-01-01&to=2026-03-31&windowMonths=12')).json(),
      (b) => b.afterInterventionStart?.cohort === 2 && b.afterInterventionStart.reoffended === 1,
    );
    expect(body).toMatchObject({ from: '2026-01-01', to: '2026-03-31', windowMonths: 12, asOf: '2027-06-30' });
    expect(body.afterInterventionStart).toMatchObject({ cohort: 2, reoffended: 1, reoffendedPct: 50, sameVictim: 0, newVictim: 1, newVictimPct: 50, stillInFollowUp: 0 });
    expect(body.members.find((m: { referralId: string }) => m.referralId === first)).toMatchObject({
      followUpFrom: '2026-01-20',
      firstReoffenceReferralId: repeat,
      firstReoffenceOn: '2026-03-01',
      sameVictim: false,
    });
    expect(JSON.stringify(body)).not.toMatch(/Example|P-900/); // party ids only, never names or source references
  });

  it('pages the cohort members by referral id, the rates counting them all', async () => {
    const whole = (await get('/v1/stats/reoffending?from=2026-01-01&to=2026-03-31')).json();
    expect(whole.members).toHaveLength(2);
    expect(whole.membersNextCursor).toBeNull();
    const firstPage = (await get('/v1/stats/reoffending?from=2026-01-01&to=2026-03-31&membersLimit=1')).json();
    expect(firstPage.afterInterventionStart.cohort).toBe(2);
    expect(firstPage.members).toEqual([whole.members[0]]);
    expect(firstPage.membersNextCursor).toBe(whole.members[0].referralId);
    const second = (await get(`/v1/stats/reoffending?from=2026-01-01&to=2026-03-31&membersLimit=1&membersAfter=${firstPage.membersNextCursor}`)).json();
    expect(second.members).toEqual([whole.members[1]]);
    expect(second.membersNextCursor).toBeNull();
    const ratesOnly = (await get('/v1/stats/reoffending?from=2026-01-01&to=2026-03-31&membersLimit=0')).json();
    expect(ratesOnly.members).toEqual([]);
    expect(ratesOnly.afterInterventionStart.cohort).toBe(2);
    expect((await get('/v1/stats/reoffending?from=2026-01-01&to=2026-03-31&membersAfter=nope')).statusCode).toBe(400);
  });

  it('answers CSV, defaults the window to 12 months and refuses other windows', async () => {
    const csv = await get('/v1/stats/reoffending?from=2026-01-01&to=2026-03-31&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('reoffending-2026-01-01-2026-03-31-12m.csv');
    expect(csv.body.split('\r\n')).toContain('afterInterventionStart.reoffendedPct,50');
    expect((await get('/v1/stats/reoffending?from=2026-01-01&to=2026-03-31&windowMonths=7')).statusCode).toBe(400);
    expect((await get('/v1/stats/reoffending?from=2026-04-01&to=2026-03-31')).statusCode).toBe(400);
  });
});

describe('value for money over the API', () => {
  it('prices with the configured unit costs and lists every line with its source', async () => {
    const body = await eventually(
      async () => (await get('/v1/stats/value-for-money?from=2026-01-01&to=2026-03-31')).json(),
      (b) => b.costOfIntervention === 120,
    );
    // 120 police minutes at £60; stalking: 2 × 100% expected − 1 observed = 1 avoided × £1,000.
    expect(body).toMatchObject({ currency: 'GBP', costOfIntervention: 120, costsAvoided: 1000, benefitCostRatio: 8.33 });
    expect(body.lines).toContainEqual({ item: 'staffHourCost.police', value: 60, unit: 'GBP/hour', source: 'HRU_UNIT_COSTS: spec figures' });
    expect(body.lines).toContainEqual({ item: 'reoffendersAvoided.stalking', value: 1, unit: 'referrals', source: 'expectedReoffenders.stalking − observedReoffenders.stalking' });
    const csv = await get('/v1/stats/value-for-money?from=2026-01-01&to=2026-03-31&format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')).toContain('benefitCostRatio,8.33,ratio,costsAvoided / costOfIntervention (none when no staff time was logged)');
  });
});

describe('outcome comparator from configuration', () => {
  it('reports the configured comparator beside the outcome rates', async () => {
    const body = (await get('/v1/stats/outcomes?from=2026-01-01&to=2026-12-31')).json();
    expect(body.comparator).toEqual(comparator);
  });

  it('refuses a malformed comparator or unit-cost table at start, naming the variable', () => {
    expect(() => loadConfig({ HRU_OUTCOME_COMPARATOR: '{"label":"x","chargedPct":140,"cautionedPct":2}' })).toThrow(/HRU_OUTCOME_COMPARATOR/);
    expect(() => loadConfig({ HRU_OUTCOME_COMPARATOR: 'not json' })).toThrow(/HRU_OUTCOME_COMPARATOR.*expected JSON/);
    expect(() => loadConfig({ HRU_UNIT_COSTS: '{"crimeByProblemBehaviour":{"burglary":100}}' })).toThrow(/HRU_UNIT_COSTS/);
    expect(() => loadConfig({ HRU_UNIT_COSTS: '{"staffHourByAgency":{"police":-5}}' })).toThrow(/HRU_UNIT_COSTS/);
    expect(loadConfig({}).outcomeComparator).toBeUndefined();
    expect(loadConfig({}).unitCostOverrides).toEqual({});
  });
});
