/**
 * Production sign-in: staff tokens from the force's identity provider, verified against its JWKS (RS256),
 * with issuer and audience pinned; development tokens signed with a local secret are refused.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_SECRET, createTestApp, type TestApp } from '../support/test-app.js';
import { startIdentityProvider, type TestIdentityProvider } from '../support/identity-provider.js';
import { mintDevToken } from '@hru/infra';

let idp: TestIdentityProvider;
let t: TestApp;
const ISSUER = 'https://idp.force.example';
const AUDIENCE = 'hru-api';

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await createTestApp({ env: { HRU_JWKS_URL: idp.url, HRU_JWT_ISSUER: ISSUER, HRU_JWT_AUDIENCE: AUDIENCE } });
});
afterAll(async () => {
  await t.close();
  await idp.close();
});

const idpToken = (claims: Record<string, unknown>, options: { issuer?: string; audience?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('ds.jones')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(idp.privateKey);

const metrics = (token: string) => t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });

describe('identity provider tokens (JWKS)', () => {
  it('admits a token signed by the provider with the roles in its claims', async () => {
    const res = await metrics(await idpToken({ name: 'DS Jones', roles: ['admin'], agency: 'police' }));
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses the wrong issuer or audience, missing claims, and local development tokens', async () => {
    expect((await metrics(await idpToken({ name: 'x', roles: ['admin'], agency: 'police' }, { issuer: 'https://evil.example' }))).statusCode).toBe(401);
    expect((await metrics(await idpToken({ name: 'x', roles: ['admin'], agency: 'police' }, { audience: 'other-app' }))).statusCode).toBe(401);
    expect((await metrics(await idpToken({ name: 'x', agency: 'police' }))).statusCode).toBe(401);
    const dev = await mintDevToken(JWT_SECRET, { sub: 'a', name: 'A', roles: ['admin'], agency: 'police' });
    expect((await metrics(dev)).statusCode).toBe(401);
  });
});
