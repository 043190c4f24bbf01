/**
 * Development sign-in and the console's static assets: off unless asked for, announced when on, and when on,
 * answering only a loopback socket with no sign of a proxy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { loadConfig } from '@hru/infra';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const body = { role: 'supervisor', name: 'DS Dev', sub: 'ds.dev' };
const DEV = { HRU_DEV_SIGN_IN: 'true' };
const devToken = (app: TestApp, options: { headers?: Record<string, string>; remoteAddress?: string } = {}) =>
  app.app.inject({ method: 'POST', url: '/v1/dev/token', payload: body, headers: { host: '127.0.0.1:3000', ...options.headers }, ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}) });

describe('POST /v1/dev/token is off by default', () => {
  it('does not exist, nor in the OpenAPI document, unless HRU_DEV_SIGN_IN=true', async () => {
    t = await createTestApp();
    expect((await devToken(t)).statusCode).toBe(404);
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/dev/token']).toBeUndefined();
    expect(loadConfig({}).devSignIn).toBe(false);
  });

  it('refuses to start with it in production or beside an identity provider, naming the variable', () => {
    const idp = { HRU_JWKS_URL: 'https://idp.example/jwks.json', HRU_JWT_ISSUER: 'https://idp.example', HRU_JWT_AUDIENCE: 'hru' };
    for (const env of [{ ...DEV, NODE_ENV: 'production', ...idp }, { ...DEV, ...idp }]) {
      expect(() => loadConfig(env)).toThrow(ConfigurationError);
      expect(() => loadConfig(env)).toThrow(/HRU_DEV_SIGN_IN/);
    }
    expect(() => loadConfig({ HRU_DEV_SIGN_IN: 'yes' })).toThrow(/HRU_DEV_SIGN_IN: expected true or false/);
  });
});

describe('POST /v1/dev/token when turned on', () => {
  it('says so at start-up: a warn line in the log and a banner on stderr', async () => {
    const lines: string[] = [];
    const banners: string[] = [];
    t = await createTestApp({ env: DEV, logTo: (line) => lines.push(line), banner: (text) => banners.push(text) });
    const warning = lines.map((l) => JSON.parse(l) as { level: string; msg: string }).find((l) => l.msg.includes('development sign-in is ON'));
    expect(warning?.level).toBe('warn');
    expect(banners.join('')).toMatch(/WARNING: development sign-in is ON/);
  });

  it('mints a token the engine accepts, for the chosen role and name, no longer than the maximum lifetime', async () => {
    t = await createTestApp({ env: { ...DEV, HRU_MAX_TOKEN_LIFETIME: '1h' } });
    const res = await devToken(t);
    expect(res.statusCode, res.body).toBe(200);
    const { token, development, expiresIn } = res.json();
    expect(development).toBe(true);
    expect(expiresIn).toBe('1h');
    expect((await t.app.inject({ method: 'GET', url: '/v1/alerts', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('answers loopback sockets only', async () => {
    t = await createTestApp({ env: DEV });
    expect((await devToken(t, { remoteAddress: '::1' })).statusCode).toBe(200);
    for (const remoteAddress of ['10.1.2.3', '192.168.0.7', '::ffff:10.0.0.1', 'fe80::1']) {
      const res = await devToken(t, { remoteAddress });
      expect(res.statusCode, remoteAddress).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('refuses any request carrying a forwarding header, though it arrives from this machine, and a non-loopback Host', async () => {
    t = await createTestApp({ env: DEV });
    expect((await devToken(t)).statusCode).toBe(200);
    const forwarding = [
      'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'via', 'x-real-ip',
      'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'fastly-client-ip', 'x-cluster-client-ip', 'x-original-forwarded-for',
      'x-originating-ip', 'x-remote-addr', 'x-envoy-external-address', 'client-ip', 'cdn-loop', 'x-host',
    ];
    for (const name of forwarding) {
      const res = await devToken(t, { headers: { [name]: '203.0.113.9' } });
      expect(res.statusCode, name).toBe(403);
      expect(res.json().detail, name).toContain(name);
    }
    expect((await devToken(t, { headers: { host: 'hru.force.example' } })).statusCode).toBe(403);
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
