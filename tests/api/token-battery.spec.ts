/**
 * Bounded sessions, secure by default: every way a bearer token can be wrong is refused, on the local
 * (HS256) path and the identity provider (JWKS) path alike, and production does not trust the local secret
 * unless told to.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, loadConfig, mintDevToken } from '@hru/infra';
import { JWT_SECRET, bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { finished, spawnTs } from '../support/spawn-ts.js';
import { tempDir } from '../support/temp-dir.js';
import { startIdentityProvider, type TestIdentityProvider } from '../support/identity-provider.js';

const HOUR = 3_600;
const now = () => Math.floor(Date.now() / 1_000);
const claims = { name: 'DS Test', roles: ['supervisor'], agency: 'police' };

/** A token signed with `key`, with exactly the times given (none are added). */
async function signed(key: Parameters<SignJWT['sign']>[0], alg: string, times: { iat?: number; exp?: number }, extra: JWTPayload = {}) {
  const jwt = new SignJWT({ ...claims, ...times, ...extra }).setProtectedHeader({ alg, kid: 'k1' }).setSubject('ds.test');
  return jwt.sign(key);
}
const local = (times: { iat?: number; exp?: number }, secret = JWT_SECRET) =>
  signed(new TextEncoder().encode(secret), 'HS256', times, { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE });

const alerts = (t: TestApp, token: string) => t.app.inject({ method: 'GET', url: '/v1/alerts', headers: bearer(token) });

describe('local tokens (HS256)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('admits a token that lives no longer than the maximum (12 h by default)', async () => {
    expect(loadConfig({}).maxTokenLifetimeMs).toBe(12 * HOUR * 1_000);
    expect((await alerts(t, await local({ iat: now(), exp: now() + 11 * HOUR }))).statusCode).toBe(200);
    expect((await alerts(t, await local({ exp: now() + HOUR }))).statusCode).toBe(200);
  });

  it.each([
    ['no exp', () => local({ iat: now() })],
    ['a lifetime of 13 h', () => local({ iat: now(), exp: now() + 13 * HOUR })],
    ['no iat and exp 13 h away', () => local({ exp: now() + 13 * HOUR })],
    ['an iat in the future that makes a 100-day token look 1 h long', () => local({ iat: now() + 100 * 24 * HOUR, exp: now() + 100 * 24 * HOUR + HOUR })],
    ['an expired token', () => local({ iat: now() - 2 * HOUR, exp: now() - HOUR })],
    ['the wrong secret', () => local({ iat: now(), exp: now() + HOUR }, 'another-secret-0123456789abcdef0123456789')],
    ['alg none', async () => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, sub: 'ds.test', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now(), exp: now() + HOUR })}.`;
    }],
  ])('refuses %s with 401 problem+json', async (_name, make) => {
    const res = await alerts(t, await make());
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('says why a long-lived token was refused, naming the setting', async () => {
    const res = await alerts(t, await local({ iat: now(), exp: now() + 13 * HOUR }));
    expect(res.json().detail).toContain('HRU_MAX_TOKEN_LIFETIME');
  });

  it('follows HRU_MAX_TOKEN_LIFETIME', async () => {
    const short = await createTestApp({ env: { HRU_MAX_TOKEN_LIFETIME: '1h' } });
    try {
      expect((await alerts(short, await local({ iat: now(), exp: now() + 2 * HOUR }))).statusCode).toBe(401);
      expect((await alerts(short, await local({ iat: now(), exp: now() + 30 * 60 }))).statusCode).toBe(200);
    } finally {
      await short.close();
    }
  });
});

describe('production', () => {
  it('refuses to start without an identity provider, in one line naming HRU_JWKS_URL and the way out', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect((error as Error).message).toMatch(/HRU_JWKS_URL: required when NODE_ENV=production.*HRU_ALLOW_LOCAL_TOKENS=true/);
  });

  it('accepts local tokens only with HRU_ALLOW_LOCAL_TOKENS=true, and says so at start-up', async () => {
    const banners: string[] = [];
    const t = await createTestApp({ env: { NODE_ENV: 'production', HRU_ALLOW_LOCAL_TOKENS: 'true' }, banner: (text) => banners.push(text) });
    try {
      expect(banners.join('')).toContain('HRU_ALLOW_LOCAL_TOKENS=true');
      expect((await alerts(t, await local({ iat: now(), exp: now() + HOUR }))).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: '/v1/dev/token', payload: { role: 'admin', name: 'x', sub: 'x' } })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('identity provider tokens (JWKS)', () => {
  let provider: TestIdentityProvider;
  let t: TestApp;
  const ISSUER = 'https://idp.force.example';
  const AUDIENCE = 'hru-api';
  const idp = (times: { iat?: number; exp?: number }) => signed(provider.privateKey, 'RS256', times, { iss: ISSUER, aud: AUDIENCE });

  beforeAll(async () => {
    provider = await startIdentityProvider();
    t = await createTestApp({ env: { HRU_JWKS_URL: provider.url, HRU_JWT_ISSUER: ISSUER, HRU_JWT_AUDIENCE: AUDIENCE, NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await t.close();
    await provider.close();
  });

  it('admits a provider token within the maximum lifetime, in production', async () => {
    expect((await alerts(t, await idp({ iat: now(), exp: now() + HOUR }))).statusCode).toBe(200);
  });

  it('refuses a provider token with no exp, or living longer than the maximum, and local tokens', async () => {
    expect((await alerts(t, await idp({ iat: now() }))).statusCode).toBe(401);
    expect((await alerts(t, await idp({ iat: now(), exp: now() + 13 * HOUR }))).statusCode).toBe(401);
    expect((await alerts(t, await idp({ exp: now() + 24 * HOUR }))).statusCode).toBe(401);
    expect((await alerts(t, await local({ iat: now(), exp: now() + HOUR }))).statusCode).toBe(401);
  });
});

describe('hru token', () => {
  const hru = (dir: string, ...args: string[]) => finished(spawnTs('services/cli/src/main.ts', ['token', '--role', 'supervisor', '--sub', 'ds.cli', ...args], { HRU_DATA_DIR: dir, HRU_JWT_SECRET: '', NODE_ENV: '' }));

  it('refuses a --ttl above HRU_MAX_TOKEN_LIFETIME with a clear error, and keeps its secret private', async () => {
    const { dir, cleanup } = tempDir('hru-token-');
    try {
      const data = join(dir, 'data');
      const tooLong = await hru(data, '--ttl', '36500d');
      expect(tooLong.code).toBe(1);
      expect(tooLong.stderr).toContain('--ttl 36500d is longer than HRU_MAX_TOKEN_LIFETIME (12h)');
      expect(tooLong.stdout).toBe('');
      const ok = await hru(data, '--ttl', '12h');
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout.trim().split('.')).toHaveLength(3);
      expect((statSync(data).mode & 0o777).toString(8)).toBe('700');
      expect((statSync(join(data, 'jwt-secret')).mode & 0o777).toString(8)).toBe('600');
    } finally {
      cleanup();
    }
  });
});
