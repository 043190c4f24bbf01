/**
 * The security headers are helmet's default policy (connect-src widened for an OpenID provider), computed once at
 * start-up rather than by running helmet for each request: every answered request carries exactly what helmet's
 * own middleware sets on a real Node response, value for value, on errors too: refused authentications included.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmetOptions } from '../../services/api/src/plugins/security.js';
import { apiKey, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

/** What helmet's middleware sets on a real response, by lower-case name. */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(options)(res.req, res, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]));
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('security headers', () => {
  const expected = helmetHeaders({});

  it('are the policy helmet sets by default, with no per-request part', () => {
    // The headers the console and the API rely on; the full set is compared below.
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy']),
    );
    expect(helmetHeaders({})).toEqual(expected);
  });

  it('every answered request carries all of them, value for value: success, validation error, not found, public route', async () => {
    const answers = [
      await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: intakeBody() }),
      await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: apiKey(), payload: { nothing: true } }),
      await t.app.inject({ method: 'GET', url: '/v1/no-such-route' }),
      await t.app.inject({ method: 'GET', url: '/healthz' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([201, 400, 404, 200]);
    for (const answer of answers) {
      for (const [name, value] of Object.entries(expected)) expect(answer.headers[name], `${answer.statusCode} ${name}`).toBe(value);
    }
  });

  it('refused authentications carry them too: no credential, a wrong API key, a forged token, a role not allowed', async () => {
    const answers = [
      await t.app.inject({ method: 'POST', url: '/v1/referrals', payload: intakeBody() }),
      await t.app.inject({ method: 'POST', url: '/v1/referrals', headers: { authorization: 'ApiKey not-a-key-of-this-unit' }, payload: intakeBody() }),
      await t.app.inject({ method: 'GET', url: '/v1/caseload', headers: { authorization: 'Bearer e30.e30.forged' } }),
      await t.app.inject({ method: 'GET', url: '/v1/caseload', headers: apiKey() }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 403]);
    for (const answer of answers) {
      for (const [name, value] of Object.entries(expected)) expect(answer.headers[name], `${answer.statusCode} ${name}`).toBe(value);
    }
  });

  it('with connect sources, the CSP is helmet’s for the widened policy and every other header is unchanged', () => {
    const widened = helmetHeaders(helmetOptions(['https://login.force.example']));
    expect(widened['content-security-policy']).toContain("connect-src 'self' https://login.force.example");
    expect({ ...widened, 'content-security-policy': expected['content-security-policy'] }).toEqual(expected);
  });
});
