/**
 * Production sign-in: staff tokens from the force's identity provider, verified against its JWKS (RS256),
 * with issuer and audience pinned; development tokens signed with a local secret are refused.
 */
import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_SECRET, createTestApp, type TestApp } from '../support/test-app.js';
import { mintDevToken } from '@hru/infra';

let jwks: Server;
let t: TestApp;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const ISSUER = 'https://idp.force.example';
const AUDIENCE = 'hru-api';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`;
  t = await createTestApp({ env: { HRU_JWKS_URL: url, HRU_JWT_ISSUER: ISSUER, HRU_JWT_AUDIENCE: AUDIENCE } });
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => jwks.close(() => resolve()));
});

const idpToken = (claims: Record<string, unknown>, options: { issuer?: string; audience?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('ds.jones')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);

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
