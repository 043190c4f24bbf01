/**
 * GET /v1/deadlines through the real engine: each status filter, the `within` window, owner/kind/referral filters,
 * overdue first, keyset pages, CSV, validation as problem+json field errors, partner agency scoping; the referral
 * view's measures and clocks; alerts listed by addressee; the measure statistics on the headline route.
 * Intake goes through the API; the clocks are appended as events (the working-day calendar that computes them in the
 * command path is another module's), which is what the read side sees either way.
 */
import type { NewEvent } from '@hru/application';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';
import { deadline, measure } from '../projections/support/deadline-history.js';
import { event } from '../projections/support/history.js';

const NOW = '2026-11-25T12:00:00.000Z';
let t: TestApp;
let officer: string;
let a: string;
let crimeOfA: string;
let b: string;

const T = (day: string, time = '10:00:00') => `2026-11-${day}T${time}Z`;

async function given(referralId: string, events: readonly NewEvent[]): Promise<void> {
  for (const e of events) await t.store.appendToStream(referralId, [e]);
  await t.projections.waitUntilCaughtUp();
}

async function get(url: string, token = officer) {
  return t.app.inject({ method: 'GET', url, headers: bearer(token) });
}

const keys = (items: { referralId: string; deadlineId: string }[]) => items.map((i) => `${i.referralId === a ? 'a' : i.referralId === b ? 'b' : '?'}/${i.deadlineId}`);

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date(NOW), app: { rateLimitPerMinute: 100_000 } });
  officer = await t.token('officer');
  const bodyOfA = intakeBody();
  crimeOfA = bodyOfA.source.crimeReference;
  a = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: bodyOfA })).json().referralId;
  b = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ problemBehaviour: 'serial_domestic_abuse' }) })).json().referralId;
  await given(a, [
    measure.bail(a, 'm1', T('01'), { step: 'granted', withConditions: true }),
    // a/d1: bail ended unmet two days ago (missed); a/d2: a contact due tomorrow; a/d3: a plan review in 12 days; a/d4: met late.
    deadline.set(a, 'd1', T('23'), T('01'), { kind: 'bail_expiry', clock: 'bail_3_months', measureId: 'm1', owner: 'officer' }),
    deadline.missed(a, 'd1', T('23'), T('23', '10:00:01')),
    deadline.set(a, 'd2', T('26', '16:59:59'), T('25'), { owner: 'victim_advocate' }),
    deadline.set(a, 'd3', '2026-12-07T12:00:00Z', T('23'), { kind: 'plan_review', owner: 'supervisor' }),
    deadline.set(a, 'd4', T('20'), T('19')),
    deadline.missed(a, 'd4', T('20'), T('20', '10:00:01')),
    deadline.closed(a, 'd4', 'met', T('21'), true),
  ]);
  await given(b, [
    measure.dvpo(b, 'm1', T('24'), { step: 'notice_issued', authorisedBy: 'superintendent' }),
    // b/d1: the DVPO hearing due an hour ago, not yet reported missed (overdue); b/d2: met in time.
    deadline.set(b, 'd1', T('25', '11:00:00'), T('24'), { kind: 'dvpo_hearing', clock: 'dvpo_hearing_48_hours', measureId: 'm1', owner: 'supervisor' }),
    deadline.set(b, 'd2', T('24', '17:00:00'), T('24')),
    deadline.closed(b, 'd2', 'met', T('24', '15:00:00')),
  ]);
});
afterAll(async () => t.close());

describe('GET /v1/deadlines', () => {
  it('lists every clock overdue first, then soonest due, each naming its case, measure and owner without personal data', async () => {
    const res = await get('/v1/deadlines');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.asOf).toBe(NOW);
    expect(keys(body.items)).toEqual(['a/d1', 'b/d1', 'a/d4', 'b/d2', 'a/d2', 'a/d3']);
    expect(body.items[0]).toMatchObject({ kind: 'bail_expiry', measureKind: 'bail', measureId: 'm1', owner: 'officer', status: 'missed', overdue: true, problemBehaviour: 'stalking' });
    expect(body.items[1]).toMatchObject({ kind: 'dvpo_hearing', measureKind: 'dvpo', status: 'open', overdue: true, problemBehaviour: 'serial_domestic_abuse' });
    expect(body.nextCursor).toBeNull();
    expect(res.body).not.toContain('Example'); // no names
  });

  it('filters by each status: due within the window (default P7D), overdue, met, missed', async () => {
    expect(keys((await get('/v1/deadlines?status=due')).json().items)).toEqual(['a/d2']);
    expect(keys((await get('/v1/deadlines?status=due&within=P14D')).json().items)).toEqual(['a/d2', 'a/d3']);
    expect(keys((await get('/v1/deadlines?status=due&within=PT12H')).json().items)).toEqual([]);
    expect(keys((await get('/v1/deadlines?status=overdue')).json().items)).toEqual(['a/d1', 'b/d1']);
    expect(keys((await get('/v1/deadlines?status=met')).json().items)).toEqual(['a/d4', 'b/d2']);
    const missed = (await get('/v1/deadlines?status=missed')).json().items;
    expect(keys(missed)).toEqual(['a/d1', 'a/d4']);
    expect(missed[1]).toMatchObject({ status: 'met', late: true, missedAt: '2026-11-20T10:00:01.000Z' });
  });

  it('filters by owner, kind and referral', async () => {
    expect(keys((await get('/v1/deadlines?owner=supervisor')).json().items)).toEqual(['b/d1', 'a/d3']);
    expect(keys((await get('/v1/deadlines?kind=victim_contact')).json().items)).toEqual(['a/d4', 'b/d2', 'a/d2']);
    expect(keys((await get(`/v1/deadlines?referralId=${b}`)).json().items)).toEqual(['b/d1', 'b/d2']);
    expect(keys((await get(`/v1/deadlines?status=overdue&owner=officer&kind=bail_expiry&referralId=${a}`)).json().items)).toEqual(['a/d1']);
  });

  it('pages by keyset with nextCursor, as of the first page', async () => {
    const seen: string[] = [];
    let url = '/v1/deadlines?limit=4';
    for (let page = 0; page < 5; page++) {
      const body = (await get(url)).json();
      expect(body.asOf).toBe(NOW);
      seen.push(...keys(body.items));
      if (body.nextCursor === null) break;
      url = `/v1/deadlines?limit=4&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual(['a/d1', 'b/d1', 'a/d4', 'b/d2', 'a/d2', 'a/d3']);
  });

  it('gives CSV with ?format=csv, the next page’s cursor in X-Next-Cursor', async () => {
    const res = await get('/v1/deadlines?status=overdue&format=csv&limit=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('deadlines-overdue.csv');
    const [header, row, ...rest] = res.body.trim().split('\r\n');
    expect(header).toBe(
      'referralId,deadlineId,kind,clock,measureKind,measureId,owner,status,overdue,triggerAt,dueAt,warnAt,warnedAt,missedAt,closedAt,late,version,problemBehaviour,stage,assigneeSub,crimeReference,principalOffence,dashYesCount',
    );
    expect(row).toBe(`${a},d1,bail_expiry,bail_3_months,bail,m1,officer,missed,true,2026-11-01T10:00:00.000Z,2026-11-23T10:00:00.000Z,,,2026-11-23T10:00:01.000Z,,false,1,stalking,awaiting_triage,,${crimeOfA},Stalking involving fear of violence,6`);
    expect(rest).toEqual([]);
    const next = res.headers['x-next-cursor'] as string;
    const second = await get(`/v1/deadlines?status=overdue&format=csv&limit=1&cursor=${encodeURIComponent(next)}`);
    expect(second.body).toContain(`${b},d1,dvpo_hearing`);
    expect(second.headers['x-next-cursor']).toBeUndefined();
  });

  it('refuses bad parameters with problem+json field errors', async () => {
    for (const [query, field] of [
      ['status=late', 'status'],
      ['within=P1M', 'within'],
      ['within=7 days', 'within'],
      ['within=P500D', 'within'],
      ['owner=chief', 'owner'],
      ['kind=parking', 'kind'],
      ['referralId=ref-1', 'referralId'],
      ['limit=0', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
    ] as const) {
      const res = await get(`/v1/deadlines?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json().errors), query).toContain(field);
    }
  });

  it('shows partner agency staff only the clocks of referrals they may read, paging on until a page is full', async () => {
    const partner = await t.token('probation', 'pp-1', 'probation_service');
    expect((await get('/v1/deadlines', partner)).json().items).toEqual([]);
    await given(b, [event('ReferralDisclosed', { referralId: b, agencies: ['probation_service'], gateway: 'MAPPA information sharing' }, T('25'))]);
    const first = (await get('/v1/deadlines?limit=1', partner)).json();
    expect(keys(first.items)).toEqual(['b/d1']);
    const second = (await get(`/v1/deadlines?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`, partner)).json();
    expect(keys(second.items)).toEqual(['b/d2']);
    expect(second.nextCursor).toBeNull();
  });

  it('shows a clock the command path set on the working-day calendar: an arrest, the victim to be told within 1 working day', async () => {
    const c = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
    const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${c}/commands/record-arrest`, headers: bearer(officer), payload: { at: '2026-11-25T09:00:00Z' } });
    expect(res.statusCode, res.body).toBe(200);
    await t.projections.waitUntilCaughtUp();
    const items = (await get(`/v1/deadlines?referralId=${c}&status=due&within=P2D`)).json().items;
    // Arrested on Wednesday: due by the end of Thursday, London time (GMT in November).
    expect(items).toEqual([
      expect.objectContaining({ deadlineId: 'd1', kind: 'victim_contact', clock: 'victim_contact_enhanced', measureId: null, owner: 'officer', dueAt: '2026-11-26T23:59:59.999Z', status: 'open' }),
    ]);
  });

  it('is for caseworkers, supervisors and auditors: admin and data protection are refused', async () => {
    for (const role of ['supervisor', 'auditor', 'victim_advocate'] as const) expect((await get('/v1/deadlines', await t.token(role))).statusCode).toBe(200);
    for (const role of ['admin', 'data_protection'] as const) expect((await get('/v1/deadlines', await t.token(role))).statusCode).toBe(403);
  });
});

describe('the referral view, alerts by addressee and the measure statistics', () => {
  it('GET /v1/referrals/:id carries the measures and every clock, unmet first', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/referrals/${a}`, headers: { ...bearer(officer), 'x-justification': 'deadline review' } });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view.measures).toEqual([
      { measureId: 'm1', kind: 'bail', status: expect.any(String), facts: expect.objectContaining({ withConditions: true }), steps: [expect.objectContaining({ step: 'granted', at: T('01') })], breaches: [] },
    ]);
    expect(view.deadlines.map((d: { deadlineId: string; status: string }) => [d.deadlineId, d.status])).toEqual([
      ['d1', 'missed'],
      ['d2', 'open'],
      ['d3', 'open'],
      ['d4', 'met'],
    ]);
  });

  it('GET /v1/alerts?addressedTo= lists the alerts addressed to a role, with who raised them', async () => {
    await given(a, [
      event(
        'UrgentActionRaised',
        { referralId: a, alertId: `${a}.ua1`, raisedBy: 'deadline', addressedTo: 'officer', rules: ['bail_expiry'], ackDueAt: T('23', '10:15:00'), personal: { reason: 'End of pre-charge bail was due' } },
        T('23', '10:00:01'),
      ),
    ]);
    const supervisor = await t.token('supervisor');
    const mine = (await get('/v1/alerts?addressedTo=officer', supervisor)).json();
    expect(mine.items).toEqual([expect.objectContaining({ alertId: `${a}.ua1`, raisedBy: 'deadline', addressedTo: 'officer', rules: ['bail_expiry'] })]);
    expect((await get('/v1/alerts?addressedTo=probation', supervisor)).json().items).toEqual([]);
    expect(JSON.stringify(mine)).not.toContain('was due');
    expect((await get('/v1/alerts?addressedTo=nobody', supervisor)).statusCode).toBe(400);
  });

  it('GET /v1/stats/headline reports clock compliance and the measures, in JSON and CSV', async () => {
    const stats = (await get('/v1/stats/headline?from=2026-11-01&to=2026-11-30')).json();
    // Contacts due in November: a/d2 and the arrest's (open), a/d4 (met late, missed), b/d2 (met in time).
    expect(stats.victimsCodeCompliance).toEqual({ due: 4, metInTime: 1, metLate: 1, missed: 1, pending: 2, ratePct: 50 });
    expect(stats.dvpo).toEqual({ notices: 1, ordersGranted: 0, conversionPct: 0, breached: 0 });
    expect(stats.bail).toEqual({ granted: 1, extensions: { inspector: 0, superintendent: 0, court: 0 } });
    const csv = await get('/v1/stats/headline?from=2026-11-01&to=2026-11-30&format=csv');
    expect(csv.body).toContain('victimsCodeCompliance.ratePct,50');
    expect(csv.body).toContain('bail.granted,1');
  });
});
