/**
 * Throttled failures: failed authentication is limited per client address and per claimed identity before
 * any other work (default 20 a minute), and logged as a security event without the secret; requests that fail
 * validation (a missing X-Justification) count against the caller's general rate limit. Counted in requests,
 * never timed: each window is a minute long, far beyond the test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, mintDevToken } from '@hru/infra';
import { FailureWindows } from '../../services/api/src/plugins/failure-throttle.js';
import { apiKey, bearer, createTestApp, intakeBody, type TestApp } from '../support/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const LIMIT = { HRU_AUTH_FAILURES_PER_MINUTE: '20' };
const WRONG_KEY = 'wrong-key-presented-0123456789';
const wrongKey = { authorization: `ApiKey ${WRONG_KEY}` };
const intake = (app: TestApp, headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  app.app.inject({ method: 'POST', url: '/v1/referrals', headers, payload: intakeBody(), remoteAddress });

describe('failed authentication', () => {
  it('is limited to 20 a minute per client address by default: 60 wrong API keys meet 429 from the 21st, with Retry-After', async () => {
    expect(loadConfig({}).authFailuresPerMinute).toBe(20);
    t = await createTestApp({ env: LIMIT });
    const codes: number[] = [];
    for (let i = 0; i < 60; i++) codes.push((await intake(t, wrongKey, '192.0.2.10')).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20).every((c) => c === 429)).toBe(true);

    const throttled = await intake(t, wrongKey, '192.0.2.10');
    expect(throttled.headers['content-type']).toContain('application/problem+json');
    expect(throttled.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Before any other work: even a good key from that address waits; another address does not.
    expect((await intake(t, apiKey(), '192.0.2.10')).statusCode).toBe(429);
    expect((await intake(t, apiKey(), '192.0.2.11')).statusCode).toBe(201);
  });

  it('is limited per claimed identity too: bad tokens for one sub from many addresses', async () => {
    t = await createTestApp({ env: LIMIT });
    const forged = await mintDevToken('not-the-engine-secret-0123456789abcdef', { sub: 'ds.victim', name: 'x', roles: ['supervisor'], agency: 'police' });
    const alerts = (token: string, remoteAddress: string) => t!.app.inject({ method: 'GET', url: '/v1/alerts', headers: bearer(token), remoteAddress });
    for (let i = 0; i < 20; i++) expect((await alerts(forged, `198.51.100.${i + 1}`)).statusCode).toBe(401);
    expect((await alerts(forged, '198.51.100.200')).statusCode).toBe(429);
    const otherSub = await mintDevToken('not-the-engine-secret-0123456789abcdef', { sub: 'ds.other', name: 'x', roles: ['supervisor'], agency: 'police' });
    expect((await alerts(otherSub, '198.51.100.201')).statusCode).toBe(401);
  });

  it('counts missing credentials, and follows HRU_AUTH_FAILURES_PER_MINUTE', async () => {
    t = await createTestApp({ env: { HRU_AUTH_FAILURES_PER_MINUTE: '3' } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await t.app.inject({ method: 'GET', url: '/v1/alerts', remoteAddress: '203.0.113.5' })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('is logged at warn as a security event with the address and the reason, never the presented key', async () => {
    const lines: string[] = [];
    t = await createTestApp({ env: { HRU_AUTH_FAILURES_PER_MINUTE: '2' }, logTo: (line) => lines.push(line) });
    for (let i = 0; i < 3; i++) await intake(t, wrongKey, '192.0.2.77');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.securityEvent === 'authentication_failed');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ level: 'warn', address: '192.0.2.77', failure: 'The API key was refused' });
    expect(events[0]!.claimed).toMatch(/^key:[0-9a-f]{16}$/);
    expect(events[1]!.throttled).toBe(true);
    expect(lines.join('\n')).not.toContain(WRONG_KEY);
  });

  it('does not log a secret sent without a scheme, nor a token', async () => {
    const lines: string[] = [];
    t = await createTestApp({ logTo: (line) => lines.push(line) });
    const pasted = 'sk_0123456789abcdefSECRET';
    const token = await mintDevToken('not-the-engine-secret-0123456789abcdef', { sub: 'ds.x', name: 'x', roles: ['supervisor'], agency: 'police' });
    for (const authorization of [`${pasted} trailing`, `Bearer ${token}`]) {
      expect((await t.app.inject({ method: 'GET', url: '/v1/alerts', headers: { authorization } })).statusCode).toBe(401);
    }
    expect(lines.filter((l) => l.includes('authentication_failed'))).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(pasted);
    expect(lines.join('\n')).not.toContain(token.split('.')[2]!);
  });
});

describe('the failure windows kept', () => {
  it('are swept of lapsed windows once a window length, long before the bound on keys is reached', () => {
    let now = 0;
    const windows = new FailureWindows(20, 60_000, 100_000, () => now);
    for (let i = 0; i < 1_000; i++) windows.record(`ip:198.51.100.${i}`);
    expect(windows.size).toBe(1_000);
    now = 59_999; // still inside the first window: nothing has lapsed
    windows.record('ip:203.0.113.1');
    expect(windows.size).toBe(1_001);
    now = 60_000; // the first thousand lapse; the next failure sweeps them
    windows.record('ip:203.0.113.2');
    expect(windows.size).toBe(2);
    // A key still in its window keeps its count through a sweep.
    now = 90_000;
    for (let i = 0; i < 20; i++) windows.record('ip:203.0.113.4');
    now = 120_000; // the next sweep: .2 lapses, .4 (until 150 000) stays throttled
    windows.record('ip:203.0.113.3');
    expect(windows.size).toBe(2);
    expect(windows.waitFor('ip:203.0.113.4')).toBe(30);
  });
});

describe('validation failures count against the caller', () => {
  it('60 requests missing X-Justification meet the caller’s rate limit', async () => {
    t = await createTestApp({ app: { rateLimitPerMinute: 30 } });
    const referralId = (await intake(t, apiKey())).json().referralId as string;
    const officer = await t.token('officer', 'officer-hasty');
    const codes: number[] = [];
    for (let i = 0; i < 60; i++) {
      codes.push((await t.app.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers: bearer(officer) })).statusCode);
    }
    expect(codes.slice(0, 30).every((c) => c === 400)).toBe(true);
    expect(codes.slice(30).every((c) => c === 429)).toBe(true);
  });
});
