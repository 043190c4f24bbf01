/** Caseload, queues and statistics through the API, fed by the projections running beside it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

let t: TestApp;
let officer: string;
let supervisor: string;

async function command(referralId: string, name: string, payload: Record<string, unknown>, token = officer) {
  const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${referralId}/commands/${name}`, headers: bearer(token), payload });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.token('officer');
  supervisor = await t.token('supervisor');
});
afterAll(async () => t.close());

describe('read models over the API', () => {
  it('shows new referrals in the caseload and the triage queue, then moves them on', async () => {
    const stalking = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
    const sda = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ problemBehaviour: 'serial_domestic_abuse' }) })).json().referralId as string;

    const queue = await eventually(
      async () => (await t.app.inject({ method: 'GET', url: '/v1/queues/triage', headers: bearer(officer) })).json(),
      (body) => body.items.filter((i: { referralId: string }) => [stalking, sda].includes(i.referralId)).length === 2,
    );
    const row = queue.items.find((i: { referralId: string }) => i.referralId === stalking);
    expect(row).toMatchObject({ daysWaiting: 0, targetDays: expect.any(Number), overTarget: false });

    const filtered = (await t.app.inject({ method: 'GET', url: '/v1/queues/triage?problemBehaviour=serial_domestic_abuse', headers: bearer(officer) })).json();
    expect(filtered.items.map((i: { referralId: string }) => i.referralId)).toContain(sda);
    expect(filtered.items.map((i: { referralId: string }) => i.referralId)).not.toContain(stalking);

    await command(stalking, 'triage', { decision: 'proceed', reason: 'fixated and repeated contact' });
    await eventually(
      async () => (await t.app.inject({ method: 'GET', url: '/v1/queues/screening', headers: bearer(officer) })).json(),
      (body) => body.items.some((i: { referralId: string }) => i.referralId === stalking),
    );
    const caseload = (await t.app.inject({ method: 'GET', url: '/v1/caseload?problemBehaviour=stalking', headers: bearer(supervisor) })).json();
    const mine = caseload.items.find((i: { referralId: string }) => i.referralId === stalking);
    expect(mine).toMatchObject({ problemBehaviour: 'stalking', urgent: false });
    expect(JSON.stringify(caseload)).not.toContain('Alex Example'); // no personal data in read models

    const csv = await t.app.inject({ method: 'GET', url: '/v1/caseload?format=csv', headers: bearer(supervisor) });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('referralId');
    expect(csv.body).toContain(stalking);
  });

  it('reports outcome percentages for crimes with an outcome in the period', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const body = intakeBody();
      const id = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: body })).json().referralId as string;
      await command(id, 'record-crime-outcome', { crimeReference: body.source.crimeReference, outcomeCode: ['1', '1', '3', '16'][i]!, outcomeDate: '2026-11-21' });
      ids.push(id);
    }
    const stats = await eventually(
      async () => (await t.app.inject({ method: 'GET', url: '/v1/stats/outcomes?from=2026-11-21&to=2026-11-21', headers: bearer(officer) })).json(),
      (body) => body.overall?.crimes === 4,
    );
    expect(stats.overall).toMatchObject({ crimes: 4, chargedOrSummonsed: 2, cautioned: 1, victimWithdrawal: 1, chargedPct: 50, cautionedPct: 25, victimWithdrawalPct: 25 });
    const csv = await t.app.inject({ method: 'GET', url: '/v1/stats/outcomes?from=2026-11-21&to=2026-11-21&format=csv', headers: bearer(officer) });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('50');
    const bad = await t.app.inject({ method: 'GET', url: '/v1/stats/outcomes?from=2026-12-01&to=2026-11-01', headers: bearer(officer) });
    expect(bad.statusCode).toBe(400);
  });

  it('reports headline statistics, and projection lag in /metrics and /readyz', async () => {
    const headline = (await t.app.inject({ method: 'GET', url: '/v1/stats/headline?from=2026-01-01&to=2026-12-31', headers: bearer(officer) })).json();
    expect(headline).toMatchObject({ from: '2026-01-01', to: '2026-12-31', activeCaseload: { total: expect.any(Number) } });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(await t.token('admin')) });
    expect(metrics.body).toMatch(/hru_projection_lag_events\{projection="caseload"\} \d+/);
    const ready = await eventually(async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).json(), (b) => b.status === 'ready');
    expect(ready.checks.projections.ok).toBe(true);
  });
});
