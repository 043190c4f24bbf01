/** Development sign-in and the console's static assets: who gets them, and when the route does not exist at all. */
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const body = { role: 'supervisor', name: 'DS Dev', sub: 'ds.dev' };

describe('POST /v1/dev/token (development only)', () => {
  it('mints a token the engine accepts, for the chosen role and name', async () => {
    t = await createTestApp();
    const res = await t.app.inject({ method: 'POST', url: '/v1/dev/token', payload: body });
    expect(res.statusCode).toBe(200);
    const { token, development } = res.json();
    expect(development).toBe(true);
    const alerts = await t.app.inject({ method: 'GET', url: '/v1/alerts', headers: bearer(token) });
    expect(alerts.statusCode).toBe(200);
  });

  it('answers callers on this machine only', async () => {
    t = await createTestApp();
    const res = await t.app.inject({ method: 'POST', url: '/v1/dev/token', payload: body, remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(403);
  });

  it('does not exist when an identity provider is configured, nor in the OpenAPI document', async () => {
    t = await createTestApp({ env: { HRU_JWKS_URL: 'https://idp.example/jwks.json', HRU_JWT_ISSUER: 'https://idp.example', HRU_JWT_AUDIENCE: 'hru' } });
    expect((await t.app.inject({ method: 'POST', url: '/v1/dev/token', payload: body })).statusCode).toBe(404);
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/dev/token']).toBeUndefined();
  });

  it('does not exist in production mode', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      t = await createTestApp();
    } finally {
      process.env.NODE_ENV = before;
    }
    expect((await t.app.inject({ method: 'POST', url: '/v1/dev/token', payload: body })).statusCode).toBe(404);
  });
});

describe('/console', () => {
  it('serves the console without a token, under a CSP that admits no inline script', async () => {
    t = await createTestApp();
    const page = await t.app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await t.app.inject({ method: 'GET', url: '/console/js/main.js' })).headers['content-type']).toContain('javascript');
    expect((await t.app.inject({ method: 'GET', url: '/console' })).statusCode).toBe(302);
  });

  it('sends a browser that opens the site root to the console, without a token', async () => {
    t = await createTestApp();
    const root = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/console/');
    // Only the root: another unknown path is still a 404 problem, not a redirect.
    const other = await t.app.inject({ method: 'GET', url: '/no-such-page' });
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toContain('application/problem+json');
  });
});

describe('development sign-in behind a proxy', () => {
  it('refuses requests that came through a reverse proxy, though they arrive from this machine', async () => {
    const t = await createTestApp();
    try {
      const body = { role: 'supervisor', name: 'Someone', sub: 'someone' };
      const direct = await t.app.inject({ method: 'POST', url: '/v1/dev/token', headers: { host: '127.0.0.1:3000' }, payload: body });
      expect(direct.statusCode).toBe(200);
      for (const headers of [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { 'x-real-ip': '203.0.113.9' }, { host: 'hru.force.example' }]) {
        const res = await t.app.inject({ method: 'POST', url: '/v1/dev/token', headers: { host: '127.0.0.1:3000', ...headers }, payload: body });
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      }
    } finally {
      await t.close();
    }
  });
});
