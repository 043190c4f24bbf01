/** A refused read of a referral is a warn security event carrying ids only, and the same 404 as a missing referral. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp;
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestApp({ logTo: (line) => lines.push(line) });
});
afterAll(async () => t.close());

it('logs who was refused which referral and why, at warn, with no personal data; the reply is indistinguishable from a missing referral', async () => {
  const referralId = (await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() })).json().referralId as string;
  const partner = await t.token('officer', 'nurse-9', 'nhs-trust');
  const headers = { ...bearer(partner), 'x-justification': 'curious' };
  const refused = await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers });
  const missing = await t.app.inject({ method: 'GET', url: `/v1/referrals/ref-${'0'.repeat(32)}`, headers });
  expect(refused.statusCode).toBe(404);
  expect(missing.statusCode).toBe(404);
  const shape = (body: string) => {
    const { requestId: _r, instance: _i, detail: _d, id: _id, ...rest } = JSON.parse(body) as Record<string, unknown>;
    return rest;
  };
  expect(shape(refused.body)).toEqual(shape(missing.body));
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.securityEvent === 'referral_read_refused');
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ level: 'warn', referralId, sub: 'nurse-9', agency: 'nhs-trust', refusal: 'agency_not_entitled' });
  expect(JSON.stringify(events[0])).not.toContain('Alex Example');
  expect(JSON.stringify(events[0])).not.toContain('curious');

  const admin = await t.token('admin', 'ops-1');
  const byRole = await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers: { ...bearer(admin), 'x-justification': 'ops check' } });
  expect(byRole.statusCode).toBe(403);
  expect(lines.some((l) => l.includes('"securityEvent":"role_refused"') && l.includes('"sub":"ops-1"'))).toBe(true);
});
