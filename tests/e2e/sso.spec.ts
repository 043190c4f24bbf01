/**
 * Single sign-on end to end: a real OpenID provider (oidc-provider) in the test process, the real engine
 * configured with only its issuer, client id and audience (no HRU_JWKS_URL: the engine finds the key set by
 * discovery), and the console in headless Chromium running the authorisation code flow with PKCE itself:
 * sign in at the provider, call the API with the provider's token, renew it with the refresh token before it
 * expires, and sign out at the provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { startOpenIdProvider, type TestOpenIdProvider } from '../support/openid-provider.js';
import { useConsole } from './console-fixture.js';

const AUDIENCE = 'https://hru.force.example/api';
const CLIENT_ID = 'hru-console';
/** Short enough that the console renews within the test (it renews a quarter of the lifetime before expiry). */
const ACCESS_TOKEN_SECONDS = 24;

let idp: TestOpenIdProvider;
/** Filled in before the console fixture's beforeAll reads it: the provider's address is known only once it listens. */
const engineEnv: Record<string, string> = {};

beforeAll(async () => {
  idp = await startOpenIdProvider({
    audience: AUDIENCE,
    accessTokenSeconds: ACCESS_TOKEN_SECONDS,
    accounts: { 'ds.khan': { name: 'DS Khan', roles: ['supervisor'], agency: 'police' } },
  });
  Object.assign(engineEnv, {
    HRU_DEV_SIGN_IN: 'false',
    HRU_OIDC_ISSUER: idp.issuer,
    HRU_OIDC_CLIENT_ID: CLIENT_ID,
    HRU_OIDC_AUDIENCE: AUDIENCE,
    HRU_OIDC_SCOPES: 'openid profile offline_access hru',
    HRU_OIDC_PROVIDER_NAME: 'Test Constabulary',
  });
});
const fixture = useConsole('hru-e2e-sso-', engineEnv);
afterAll(async () => {
  await idp?.close();
});
beforeAll(async () => {
  await idp.start({ clientId: CLIENT_ID, redirectUri: `${fixture.engine.baseUrl}/console/` });
});

/** The tab's sessionStorage, read in the page (the tests compile without the DOM's types). */
const stored = (page: Page, key: string) =>
  page.evaluate((k) => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(k), key);
const token = (page: Page) => stored(page, 'hru.console.token');
const ssoState = async (page: Page) => JSON.parse((await stored(page, 'hru.console.oidc')) ?? 'null') as { refreshToken?: string; idToken?: string } | null;
const grantsOf = (type: string) => idp.grants.filter((g) => g.grantType === type);

describe('single sign-on with an OpenID provider', () => {
  it('signs in through the provider, calls the API with its token, renews it before expiry, and signs out there', async () => {
    const { page } = await fixture.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // The console's errors only: the provider's own pages are not under test.
    page.on('console', (m) => m.type() === 'error' && m.location().url.startsWith(fixture.engine.baseUrl) && problems.push(m.text()));

    // The sign-in page offers the provider only: no token form (not configured), no development sign-in.
    await page.goto(`${fixture.engine.baseUrl}/console/#/queues`);
    const button = page.getByRole('button', { name: 'Sign in with Test Constabulary' });
    await button.waitFor();
    expect(await page.locator('#token-sign-in, #dev-sign-in, #dev-sign-in-off').count()).toBe(0);
    await fixture.browser.screenshot(page, 'sso-sign-in');

    await button.click();
    await page.getByRole('heading', { name: 'Test provider sign-in' }).waitFor();
    const authorize = new URL(page.url());
    expect(authorize.origin).toBe(idp.issuer);
    await page.getByLabel('User name').fill('ds.khan');
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back in the console at the page asked for, signed in, with the code gone from the address bar.
    await page.locator('#who', { hasText: 'DS Khan (supervisor)' }).waitFor();
    await page.getByRole('heading', { name: 'Queues', exact: true }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).hash).toBe('#/queues');
    expect(grantsOf('authorization_code')).toHaveLength(1);
    const first = (await token(page))!;
    const claims = decodeJwt(first);
    expect(claims).toMatchObject({ iss: idp.issuer, aud: AUDIENCE, sub: 'ds.khan', name: 'DS Khan', roles: ['supervisor'], agency: 'police' });
    expect(claims.exp! - claims.iat!).toBe(ACCESS_TOKEN_SECONDS);
    // The engine verified it against the provider's key set, found by discovery.
    expect(idp.jwksFetches).toBeGreaterThanOrEqual(1);

    // Renewal: one refresh-token request, before the first token expired, and a new token in use.
    await expect.poll(() => grantsOf('refresh_token').length, { timeout: ACCESS_TOKEN_SECONDS * 1_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    const [renewal] = grantsOf('refresh_token');
    expect(renewal!.at).toBeLessThan(claims.exp! * 1_000);
    await expect.poll(() => token(page)).not.toBe(first);
    const second = (await token(page))!;
    expect(decodeJwt(second)).toMatchObject({ sub: 'ds.khan', roles: ['supervisor'] });
    // A reload keeps the session (sessionStorage) and its renewal, and the next call carries the new token.
    await page.goto(`${fixture.engine.baseUrl}/console/#/alerts`);
    await page.getByRole('heading', { name: 'Urgent alerts' }).waitFor();
    const call = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/alerts');
    await page.reload();
    const response = await call;
    expect(response.request().headers().authorization).toBe(`Bearer ${second}`);
    expect(response.status()).toBe(200);
    await page.getByRole('heading', { name: 'Urgent alerts' }).waitFor();
    // No second trip through the provider's sign-in.
    expect(grantsOf('authorization_code')).toHaveLength(1);

    // Sign-out: the refresh token is revoked and the provider's session ends (RP-initiated logout).
    const { refreshToken } = (await ssoState(page))!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByText('You signed out of the console and of your organisation’s sign-in.').waitFor();
    expect(await token(page)).toBeNull();
    expect(await ssoState(page)).toBeNull();
    const reuse = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken!, client_id: CLIENT_ID }),
    });
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');
    // Signing in again needs the provider's sign-in page again.
    await page.getByRole('button', { name: 'Sign in with Test Constabulary' }).click();
    await page.getByRole('heading', { name: 'Test provider sign-in' }).waitFor();
    await fixture.browser.screenshot(page, 'sso-provider-after-sign-out');

    expect(problems).toEqual([]);
  });

  it('refuses a callback that does not match the sign-in this tab started, and says why the provider refused', async () => {
    const { page } = await fixture.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${fixture.engine.baseUrl}/console/`);
    const authorization = page.waitForRequest((r) => r.url().startsWith(`${idp.issuer}/auth?`));
    await page.getByRole('button', { name: 'Sign in with Test Constabulary' }).click();
    const asked = new URL((await authorization).url()).searchParams;
    expect(Object.fromEntries(asked)).toMatchObject({ response_type: 'code', code_challenge_method: 'S256', client_id: CLIENT_ID, resource: AUDIENCE });
    const state = asked.get('state')!;
    await page.getByRole('heading', { name: 'Test provider sign-in' }).waitFor();
    const codes = grantsOf('authorization_code').length;

    // The provider sends the user back refusing (say, they cancelled): the console says so, and holds no token.
    // (With `iss`, as this provider sends it: RFC 9207, which oauth4webapi checks against mix-up attacks.)
    const back = new URLSearchParams({ error: 'access_denied', error_description: 'End-User aborted interaction', state, iss: idp.issuer });
    await page.goto(`${fixture.engine.baseUrl}/console/?${back}`);
    await page.getByText('Single sign-on did not complete. The identity provider refused: End-User aborted interaction.').waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(await token(page)).toBeNull();
    await fixture.browser.screenshot(page, 'sso-refused-phone');

    // A code arriving without a sign-in started in this tab (a forged or replayed link) is not exchanged.
    await page.goto(`${fixture.engine.baseUrl}/console/?code=forged&state=${encodeURIComponent(state)}`);
    await page.getByText(/Single sign-on did not complete\. This sign-in was not started in this tab/).waitFor();
    expect(await token(page)).toBeNull();
    expect(grantsOf('authorization_code')).toHaveLength(codes);
  });

  it('ends the session when the provider refuses the renewal (the refresh token revoked there)', async () => {
    const { page } = await fixture.browser.newPage();
    await page.goto(`${fixture.engine.baseUrl}/console/`);
    await page.getByRole('button', { name: 'Sign in with Test Constabulary' }).click();
    // A fresh browser context: the provider has no session for it yet and asks who is signing in.
    await page.getByLabel('User name').fill('ds.khan');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#who', { hasText: 'DS Khan (supervisor)' }).waitFor();
    const refusedBefore = idp.refusals.length;

    // As an administrator would by disabling the account: the refresh token is revoked at the provider.
    const { refreshToken } = (await ssoState(page))!;
    const revoked = await fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken!, token_type_hint: 'refresh_token', client_id: CLIENT_ID }),
    });
    expect(revoked.status).toBe(200);

    // At renewal time the provider refuses, and the console signs out and says so, rather than fail call by call.
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor({ timeout: ACCESS_TOKEN_SECONDS * 1_000 });
    expect(idp.refusals.slice(refusedBefore)).toEqual(['refresh_token']);
    await page.getByText('Your session ended or the engine refused your token: sign in again.').waitFor();
    expect(await token(page)).toBeNull();
    expect(await ssoState(page)).toBeNull();
  });
});
