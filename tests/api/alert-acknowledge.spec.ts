/**
 * POST /v1/alerts/:id/acknowledge through the real HTTP stack (inject): the body is optional (a pager's one
 * button sends none), `note` is optional, `reason` is another name for it, and what is sent is still checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
let supervisor: string;

beforeAll(async () => {
  t = await createTestApp({ app: { rateLimitPerMinute: 10_000 } });
  supervisor = await t.token('supervisor');
});
afterAll(async () => t.close());

/** A new urgent referral (an intake rule raises its alert), so every case acknowledges an open alert. */
async function openAlert(): Promise<{ referralId: string; alertId: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody({ indicators: ['threats_to_kill'] }) });
  expect(res.statusCode, res.body).toBe(201);
  const { referralId } = res.json() as { referralId: string };
  return { referralId, alertId: `${referralId}.ua1` };
}

async function acknowledge(alertId: string, request: { headers?: Record<string, string>; payload?: string } = {}) {
  return t.app.inject({ method: 'POST', url: `/v1/alerts/${alertId}/acknowledge`, headers: { ...bearer(supervisor), ...request.headers }, ...(request.payload === undefined ? {} : { payload: request.payload }) });
}

/** The data of the acknowledgement the referral's stream recorded, or undefined when none was. */
async function recorded(referralId: string): Promise<Record<string, unknown> | undefined> {
  const events = await t.store.readStream(referralId);
  return events.find((e) => e.type === 'UrgentActionAcknowledged')?.data as Record<string, unknown> | undefined;
}

const json = { 'content-type': 'application/json' };

describe('acknowledging an alert', () => {
  it.each([
    ['no body and no content type', {}],
    ['an empty body sent as JSON', { headers: json, payload: '' }],
    ['{}', { headers: json, payload: '{}' }],
    ['null', { headers: json, payload: 'null' }],
  ])('accepts %s, and records the acknowledgement without a note', async (_, request) => {
    const { referralId, alertId } = await openAlert();
    const res = await acknowledge(alertId, request);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ alertId, referralId, status: 'acknowledged' });
    const data = await recorded(referralId);
    expect(data).toMatchObject({ alertId, personal: {} });
    expect(data!['personal']).not.toHaveProperty('note');
  });

  it.each([
    ['note', { note: 'patrol dispatched' }],
    ['reason, as another name for note', { reason: 'patrol dispatched' }],
  ])('records %s', async (_, body) => {
    const { referralId, alertId } = await openAlert();
    const res = await acknowledge(alertId, { headers: json, payload: JSON.stringify(body) });
    expect(res.statusCode, res.body).toBe(200);
    // The note is free text: it is recorded under the event's personal section, nowhere else.
    const data = await recorded(referralId);
    expect(data).toMatchObject({ alertId, personal: { note: 'patrol dispatched' } });
    expect(data).not.toHaveProperty('note');
  });

  it.each([
    ['both note and reason', { note: 'a', reason: 'b' }, '/reason'],
    ['a note over 4,000 characters', { note: 'x'.repeat(4_001) }, '/note'],
    ['a blank note', { note: '   ' }, '/note'],
    ['a field it does not know', { notes: 'typo' }, '/'],
  ])('refuses %s with a field error, and acknowledges nothing', async (_, body, path) => {
    const { referralId, alertId } = await openAlert();
    const res = await acknowledge(alertId, { headers: json, payload: JSON.stringify(body) });
    expect(res.statusCode).toBe(400);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    const problem = res.json() as { code: string; errors: { path: string; message: string }[] };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toContain(path);
    expect(await recorded(referralId)).toBeUndefined();
  });

  it('still refuses a body that is not JSON', async () => {
    const { alertId } = await openAlert();
    expect((await acknowledge(alertId, { headers: json, payload: '{"note":' })).statusCode).toBe(400);
    expect((await acknowledge(alertId, { headers: { 'content-type': 'text/plain' }, payload: 'ok' })).statusCode).toBe(415);
  });

  it('says in the OpenAPI document that the body is optional and why reason is accepted', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { description: string; requestBody?: { required?: boolean } }>> };
    const operation = doc.paths['/v1/alerts/{id}/acknowledge']!.post!;
    expect(operation.requestBody?.required).toBe(false);
    expect(operation.description).toContain('`reason` is accepted as another name for `note`');
  });
});

describe('alerts addressed to a role', () => {
  /** An urgent referral whose Victims' Code clock, from an arrest recorded ten days late, is missed at once: an alert to the officer. */
  async function officerAlert(): Promise<{ referralId: string; alertId: string }> {
    const { referralId } = await openAlert();
    await acknowledge(`${referralId}.ua1`);
    const arrestedAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const res = await t.app.inject({ method: 'POST', url: `/v1/referrals/${referralId}/commands/record-arrest`, headers: bearer(await t.token('officer')), payload: { at: arrestedAt } });
    expect(res.statusCode, res.body).toBe(200);
    return { referralId, alertId: `${referralId}.ua2` };
  }

  it('an officer lists only the alerts addressed to officers, and acknowledges one; not a supervisor’s', async () => {
    const officer = await t.token('officer');
    const supervisorsAlert = await openAlert();
    const { alertId } = await officerAlert();
    const listed = async () =>
      ((await t.app.inject({ method: 'GET', url: '/v1/alerts?status=all&limit=1000', headers: bearer(officer) })).json() as { items: { alertId: string; addressedTo: string; raisedBy: string }[] }).items;
    const mine = await eventually(async () => (await listed()).find((a) => a.alertId === alertId));
    expect(mine).toMatchObject({ addressedTo: 'officer', raisedBy: 'deadline' });
    expect((await listed()).every((a) => a.addressedTo === 'officer')).toBe(true);
    expect((await listed()).some((a) => a.alertId === supervisorsAlert.alertId)).toBe(false);
    const refused = await acknowledge(supervisorsAlert.alertId, { headers: bearer(officer) });
    expect(refused.statusCode, refused.body).toBe(409);
    const ok = await acknowledge(alertId, { headers: bearer(officer) });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('a victim advocate may not acknowledge the officer’s alert', async () => {
    const { alertId } = await officerAlert();
    const res = await acknowledge(alertId, { headers: bearer(await t.token('victim_advocate')) });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().detail).toMatch(/addressed to officer/);
  });
});

/** Polls until the read model has caught up (projections apply asynchronously). */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the read model did not catch up');
}
