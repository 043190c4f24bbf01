/** The manager's trend by month (GET /v1/stats/trend): months cut to the period, counts per month, queue breaches, CSV, bounds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthsOf } from '@hru/projections';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

let t: TestApp;
let officer: string;
const NOW = new Date('2026-03-15T12:00:00Z');

const get = async (url: string, token = officer) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

beforeAll(async () => {
  t = await createTestApp({ now: () => NOW });
  officer = await t.token('officer');
  // Three referrals received "now" (March), one of them with an urgent indicator: an alert raised in March.
  for (const [i, indicators] of [[], [], ['threats_to_kill']].entries()) {
    const body = intakeBody({ source: { system: 'niche', crimeReference: `CC/TR/${i}-${process.pid}`, recordedAt: '2026-03-14T10:00:00Z' }, indicators });
    const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: body });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => t.close());

describe('months of a period', () => {
  it('cuts the first and last months to the period and crosses a year end', () => {
    expect(monthsOf({ from: '2025-11-20', to: '2026-02-03' })).toEqual([
      { from: '2025-11-20', to: '2025-11-30' },
      { from: '2025-12-01', to: '2025-12-31' },
      { from: '2026-01-01', to: '2026-01-31' },
      { from: '2026-02-01', to: '2026-02-03' },
    ]);
    expect(monthsOf({ from: '2024-02-01', to: '2024-02-29' })).toEqual([{ from: '2024-02-01', to: '2024-02-29' }]);
  });
});

describe('GET /v1/stats/trend', () => {
  it('counts referrals received and open cases per month, alerts raised, and today’s queue breaches', async () => {
    const body = await eventually(
      async () => (await get('/v1/stats/trend?from=2026-01-01&to=2026-03-31&by=month')).json(),
      (b) => b.totals?.referralsReceived === 3 && b.totals.alertsRaised === 1,
    );
    expect(body).toMatchObject({ from: '2026-01-01', to: '2026-03-31', by: 'month', asOf: NOW.toISOString() });
    expect(body.months.map((m: { month: string }) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(body.months[0]).toMatchObject({ referralsReceived: 0, openAtEnd: 0, alertsRaised: 0 });
    expect(body.months[2]).toMatchObject({ referralsReceived: 3, openAtEnd: 3, closed: 0, alertsRaised: 1, alertsAcknowledgedInTime: 0, alertsAcknowledgedLate: 0 });
    // Received today, so none waits longer than its target yet.
    expect(body.queueBreaches).toEqual({ total: 0, byQueue: { triage: 0, screening: 0, awaiting_case_discussion: 0, reviews_due: 0 } });
  });

  it('counts an alert acknowledged before its first escalation as in time', async () => {
    const supervisor = await t.token('supervisor');
    const alerts = await eventually(async () => (await get('/v1/alerts?status=open', supervisor)).json(), (b) => b.items?.length === 1);
    const ack = await t.app.inject({ method: 'POST', url: `/v1/alerts/${alerts.items[0].alertId}/acknowledge`, headers: bearer(supervisor), payload: {} });
    expect(ack.statusCode, ack.body).toBeLessThan(300);
    const body = await eventually(async () => (await get('/v1/stats/trend?from=2026-03-01&to=2026-03-31')).json(), (b) => b.totals?.alertsAcknowledgedInTime === 1);
    expect(body.months).toHaveLength(1);
    expect(body.totals).toMatchObject({ alertsRaised: 1, alertsAcknowledgedInTime: 1, alertsAcknowledgedLate: 0 });
  });

  it('counts a closure (triage out of scope) in its month; a reopening is not a new referral; open at the end agrees with the headline caseload', async () => {
    const supervisor = await t.token('supervisor');
    const items = (await get('/v1/caseload?limit=10', supervisor)).json().items as { referralId: string }[];
    const [closing, other] = items.map((i) => i.referralId);
    const send = async (id: string, name: string, payload: unknown) => {
      const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${id}/commands/${name}`, headers: bearer(supervisor), payload: payload as object });
      expect(res.statusCode, res.body).toBe(200);
    };
    await send(closing!, 'triage', { decision: 'out_of_scope', reason: 'Not for the unit' });
    const closed = await eventually(async () => (await get('/v1/stats/trend?from=2026-03-01&to=2026-03-31')).json(), (b) => b.totals?.closed === 1);
    expect(closed.months[0]).toMatchObject({ referralsReceived: 3, openAtEnd: 2, closed: 1 });
    await send(closing!, 'reopen', { linkedReferralId: other, reason: 'The same perpetrator again' });
    const reopened = await eventually(async () => (await get('/v1/stats/trend?from=2026-03-01&to=2026-03-31')).json(), (b) => b.months?.[0]?.openAtEnd === 3);
    expect(reopened.totals.referralsReceived).toBe(3);
    const headline = (await get('/v1/stats/headline?from=2026-03-01&to=2026-03-31')).json();
    expect(headline.activeCaseload.total).toBe(reopened.months[0].openAtEnd);
  });

  it('answers CSV one row a month, and refuses a reversed period, more than 36 months and another step', async () => {
    const csv = await get('/v1/stats/trend?from=2026-02-10&to=2026-03-31&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('month,from,to,referralsReceived,openAtEnd,closed,alertsRaised,alertsAcknowledgedInTime,alertsAcknowledgedLate');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['2026-02,2026-02-10,2026-02-28', '2026-03,2026-03-01,2026-03-31']);
    for (const url of ['/v1/stats/trend?from=2026-04-01&to=2026-03-31', '/v1/stats/trend?from=2023-01-01&to=2026-01-31', '/v1/stats/trend?from=2026-01-01&to=2026-03-31&by=week']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await get('/v1/stats/trend?from=2023-02-01&to=2026-01-31')).statusCode).toBe(200);
  });

  it('is refused without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/stats/trend?from=2026-01-01&to=2026-03-31' });
    expect(res.statusCode).toBe(401);
  });
});
