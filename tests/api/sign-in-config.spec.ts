/**
 * GET /v1/sign-in/config (public: the console reads it before anyone is signed in), the OpenID client library
 * the console loads, the CSP with a provider configured, and the API verifying the provider's tokens against the
 * key set its discovery document names.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { discoverJwksUri } from '@hru/infra';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp | undefined;
let server: Server | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const AUDIENCE = 'https://hru.force.example/api';

/** A minimal provider: a discovery document and a key set; `documents` replaces the discovery answers in turn. */
async function startDiscovery(documents: ((issuer: string) => { status: number; body: unknown })[] = []) {
  const pair = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let discoveries = 0;
  server = createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/realm/.well-known/openid-configuration') {
      const answer = documents[discoveries++]?.(issuer) ?? { status: 200, body: { issuer, jwks_uri: `${origin}/realm/keys` } };
      return send(answer.status, answer.body);
    }
    if (req.url === '/realm/keys') return send(200, { keys: [jwk] });
    send(404, {});
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const issuer = `${origin}/realm`;
  const token = (claims: Record<string, unknown> = { name: 'DS Khan', roles: ['admin'], agency: 'police' }) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('ds.khan').setIssuer(issuer).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
  return { issuer, origin, token, discoveries: () => discoveries };
}

const oidcEnv = (issuer: string) => ({ HRU_OIDC_ISSUER: issuer, HRU_OIDC_CLIENT_ID: 'hru-console', HRU_OIDC_AUDIENCE: AUDIENCE, HRU_OIDC_PROVIDER_NAME: 'Northshire Police' });
const config = (app: TestApp) => app.app.inject({ method: 'GET', url: '/v1/sign-in/config' });
const metrics = (app: TestApp, token: string) => app.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });

describe('GET /v1/sign-in/config', () => {
  it('without a provider: no single sign-on, the token form, development sign-in as configured; CSP unchanged', async () => {
    t = await createTestApp();
    const res = await config(t);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ oidc: null, tokenForm: true, devSignIn: false });
    expect(String(res.headers['content-security-policy'])).not.toContain('connect-src');
    await t.close();
    t = await createTestApp({ env: { HRU_DEV_SIGN_IN: 'true', HRU_SIGN_IN_TOKEN_FORM: 'false' } });
    expect((await config(t)).json()).toEqual({ oidc: null, tokenForm: false, devSignIn: true });
  });

  it('with a provider: the public client settings only, needing no token, in the OpenAPI document', async () => {
    t = await createTestApp({ env: oidcEnv('https://login.force.example/realm') });
    const res = await config(t);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      oidc: {
        issuer: 'https://login.force.example/realm',
        clientId: 'hru-console',
        scopes: ['openid', 'profile', 'offline_access'],
        audience: AUDIENCE,
        resourceIndicator: true,
        providerName: 'Northshire Police',
      },
      tokenForm: false,
      devSignIn: false,
    });
    expect(t.app.routeAccess.get('GET /v1/sign-in/config')).toEqual({ public: true });
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/sign-in/config'].get.responses['200']).toBeDefined();
  });

  it('with a provider: the console may fetch from its origin, and nothing else in the CSP changes', async () => {
    const cspOf = async (app: TestApp) => String((await app.app.inject({ method: 'GET', url: '/console/' })).headers['content-security-policy']);
    t = await createTestApp();
    const plain = await cspOf(t);
    await t.close();
    t = await createTestApp({ env: oidcEnv('https://login.force.example/realm') });
    const directives = (await cspOf(t)).split(';');
    expect(directives).toContain("connect-src 'self' https://login.force.example");
    expect(directives.filter((d) => !d.startsWith('connect-src'))).toEqual(plain.split(';'));
    expect(plain.split(';')).toContain("script-src 'self'");
  });
});

describe('the OpenID client library the console loads', () => {
  it('is served at a fixed path, without a token, as JavaScript, without a source-map link, revalidated by ETag', async () => {
    t = await createTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/console/vendor/oauth4webapi.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.body).toContain('export async function discoveryRequest');
    expect(res.body).not.toContain('sourceMappingURL');
    const again = await t.app.inject({ method: 'GET', url: '/console/vendor/oauth4webapi.js', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });
});

describe('tokens of a provider found by discovery (HRU_OIDC_ISSUER without HRU_JWKS_URL)', () => {
  it('are admitted when signed with a key of the jwks_uri its discovery document names, and others refused', async () => {
    const idp = await startDiscovery();
    t = await createTestApp({ env: oidcEnv(idp.issuer) });
    expect((await metrics(t, await idp.token())).statusCode).toBe(200);
    // Missing claims, or the local development secret, are refused.
    expect((await metrics(t, await idp.token({ name: 'x', agency: 'police' }))).statusCode).toBe(401);
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ name: 'x', roles: ['admin'], agency: 'police' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('x').setIssuer(idp.issuer).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(other.privateKey);
    expect((await metrics(t, forged)).statusCode).toBe(401);
    // Discovered once, then the key set is reused.
    expect(idp.discoveries()).toBe(1);
  });

  it('retries a failed discovery on the next token rather than refusing for ever', async () => {
    const idp = await startDiscovery([() => ({ status: 503, body: {} })]);
    t = await createTestApp({ env: oidcEnv(idp.issuer) });
    const token = await idp.token();
    expect((await metrics(t, token)).statusCode).toBe(401);
    expect((await metrics(t, token)).statusCode).toBe(200);
    expect(idp.discoveries()).toBe(2);
  });

  it('refuses a discovery document issued for another issuer (another tenant)', async () => {
    const idp = await startDiscovery([(issuer) => ({ status: 200, body: { issuer: `${issuer}-other`, jwks_uri: `${issuer}/keys` } })]);
    await expect(discoverJwksUri(idp.issuer)).rejects.toThrow(/names the issuer .*-other, not/);
    await expect(discoverJwksUri(idp.issuer)).resolves.toEqual(new URL(`${idp.origin}/realm/keys`));
  });
});
