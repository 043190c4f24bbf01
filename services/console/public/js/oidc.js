// @ts-check
/**
 * Single sign-on: the console is an OpenID Connect public client of the force's provider, and runs the
 * authorisation code flow with PKCE itself (discovery, redirect, callback, token request), renews the access
 * token with the refresh token before it expires, and signs out at the provider (RP-initiated logout).
 *
 * The protocol work is oauth4webapi's (a maintained, dependency-free OAuth 2 / OIDC client): the engine serves
 * its ESM build at a fixed path, loaded only when a sign-in or a renewal needs it.
 *
 * Why refresh tokens and not a hidden iframe with prompt=none: browsers now block the provider's cookies inside
 * a third-party iframe (Safari, Firefox, Chrome's tracking protection), which breaks iframe renewal without a
 * word; the iframe would also need the provider's origin in frame-src. A refresh token (rotated on each use, as
 * OAuth 2.0 for Browser-Based Apps asks of public clients) is one fetch to the token endpoint. A provider that
 * issues none leaves the session to end at the access token's expiry, and the console asks to sign in again.
 */
import { session, toApiError } from './api.js';

/** Served by the console's Fastify plugin from node_modules (services/console/src/index.ts). */
const LIBRARY = '/console/vendor/oauth4webapi.js';
/** The redirect URI registered at the provider: the console's own address, so the callback lands here. */
const REDIRECT_PATH = '/console/';
/** The pending request (PKCE verifier, state, nonce), from the redirect to the callback, in this tab only. */
const PENDING_KEY = 'hru.console.oidc.pending';
/** What a signed-in session keeps beside the access token; api.js's signOut removes it with the token. */
export const SSO_KEY = 'hru.console.oidc';
const REASON_KEY = 'hru.console.signInReason';

/**
 * @typedef {{ issuer: string, clientId: string, scopes: string[], audience: string, resourceIndicator: boolean, providerName: string }} OidcConfig
 * @typedef {{ oidc: OidcConfig | null, tokenForm: boolean, devSignIn: boolean }} SignInConfig
 * @typedef {{ refreshToken?: string, idToken?: string, renewAt: number }} SsoState
 * @typedef {typeof import('oauth4webapi')} OAuth
 */

/** @type {Promise<SignInConfig> | undefined} */
let config;
/** How this engine signs people in (GET /v1/sign-in/config, public), fetched once per page. */
export function signInConfig() {
  config ??= fetch('/v1/sign-in/config', { cache: 'no-store', headers: { accept: 'application/json' } }).then(async (res) => {
    if (!res.ok) throw await toApiError(res);
    return res.json();
  });
  config.catch(() => (config = undefined));
  return config;
}

/** @type {Promise<{ oauth: OAuth, oidc: OidcConfig, as: import('oauth4webapi').AuthorizationServer, client: import('oauth4webapi').Client, auth: import('oauth4webapi').ClientAuth, http: Record<symbol, boolean> }> | undefined} */
let provider;
/** The library and the provider's discovery document, loaded once per page. */
function openProvider() {
  provider ??= (async () => {
    const { oidc } = await signInConfig();
    if (!oidc) throw new Error('Single sign-on is not configured on this engine.');
    const oauth = /** @type {OAuth} */ (await import(LIBRARY));
    const issuer = new URL(oidc.issuer);
    // Plain http only for a provider on this machine: the engine's configuration refuses any other http issuer.
    const http = { [oauth.allowInsecureRequests]: issuer.protocol === 'http:' };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...http }));
    return { oauth, oidc, as, client: { client_id: oidc.clientId }, auth: oauth.None(), http };
  })();
  provider.catch(() => (provider = undefined));
  return provider;
}

function redirectUri() {
  return new URL(REDIRECT_PATH, location.origin).href;
}

/** RFC 8707: the engine named as the resource, on the authorisation and every token request. @param {OidcConfig} oidc */
function resource(oidc) {
  return oidc.resourceIndicator ? { additionalParameters: { resource: oidc.audience } } : {};
}

/** @returns {SsoState | null} */
function ssoState() {
  try {
    return JSON.parse(sessionStorage.getItem(SSO_KEY) ?? 'null');
  } catch {
    return null;
  }
}

/** A provider's refusal as a sentence (oauth4webapi's errors carry the OAuth `error` and its description). @param {unknown} error */
function readable(error) {
  const e = /** @type {{ error?: string, error_description?: string, message?: string }} */ (error ?? {});
  if (e.error) return `The identity provider refused: ${e.error_description || e.error}.`;
  return e.message || String(error);
}

/** Sends the browser to the provider's sign-in page; it comes back to the console with a code. @param {string} returnTo */
export async function startSignIn(returnTo) {
  const { oauth, oidc, as } = await openProvider();
  if (!as.authorization_endpoint) throw new Error('The identity provider’s discovery document names no authorization endpoint.');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce, returnTo }));
  const url = new URL(as.authorization_endpoint);
  const params = {
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: oidc.scopes.join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(oidc.resourceIndicator ? { resource: oidc.audience } : {}),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  location.assign(url.href);
}

/** Whether this page load is the provider's redirect back (a code or an error, with the state it was sent). */
function isCallback() {
  const params = new URLSearchParams(location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** Exchanges the code for tokens (PKCE verifier, state and nonce checked by oauth4webapi). */
async function completeSignIn() {
  const returned = new URL(location.href);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
  sessionStorage.removeItem(PENDING_KEY);
  // The code leaves the address bar and the history at once, whatever happens next.
  history.replaceState(null, '', `${REDIRECT_PATH}${pending?.returnTo ?? ''}`);
  if (!pending) throw new Error('This sign-in was not started in this tab, or was already used: sign in again.');
  const { oauth, oidc, as, client, auth, http } = await openProvider();
  const params = oauth.validateAuthResponse(as, client, returned, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri(), pending.verifier, { ...resource(oidc), ...http });
  keep(await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true }));
}

/**
 * Keeps a token response: the access token as the console's bearer token, the refresh token and ID token
 * beside it, and when to renew: a quarter of the lifetime (at most a minute) before expiry, counted from
 * receipt with `expires_in` so that a browser clock set wrong does not renew too late or in a loop.
 * @param {import('oauth4webapi').TokenEndpointResponse} result
 */
function keep(result) {
  if (result.token_type.toLowerCase() !== 'bearer') throw new Error(`The identity provider issued a ${result.token_type} token; the engine takes bearer tokens.`);
  const previous = ssoState();
  session.signIn(result.access_token);
  if (!session.claims?.roles) {
    session.signOut();
    throw new Error('The identity provider’s access token carries no roles claim (or is not a JWT): ask your identity administrator for the HRU roles mapping.');
  }
  const lifetime = (result.expires_in ?? 0) * 1000;
  /** @type {SsoState} */
  const state = {
    refreshToken: result.refresh_token ?? previous?.refreshToken,
    idToken: result.id_token ?? previous?.idToken,
    renewAt: lifetime > 0 ? Date.now() + lifetime - Math.min(60_000, lifetime / 4) : 0,
  };
  sessionStorage.setItem(SSO_KEY, JSON.stringify(state));
  scheduleRenewal();
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
function scheduleRenewal() {
  clearTimeout(timer);
  const state = ssoState();
  if (!state?.refreshToken || !state.renewAt) return;
  timer = setTimeout(() => void renewNow(), Math.max(0, state.renewAt - Date.now()));
}

/** @type {Promise<void> | undefined} */
let renewing;
/** Renews with the refresh token; a refusal ends the session, a network failure is retried while the token lives. */
function renewNow() {
  renewing ??= (async () => {
    const state = ssoState();
    if (!state?.refreshToken) return;
    try {
      const { oauth, oidc, as, client, auth, http } = await openProvider();
      const response = await oauth.refreshTokenGrantRequest(as, client, auth, state.refreshToken, { ...resource(oidc), ...http });
      keep(await oauth.processRefreshTokenResponse(as, client, response));
    } catch (error) {
      const refused = error && typeof error === 'object' && 'error' in error;
      // Refused by the provider, expired meanwhile, or a new token the engine could not use (keep() dropped it).
      if (refused || session.expired || !session.token) {
        window.dispatchEvent(new CustomEvent('hru:unauthenticated', { detail: `Your sign-in could not be renewed. ${readable(error)}` }));
      } else {
        timer = setTimeout(() => void renewNow(), 10_000);
      }
    } finally {
      renewing = undefined;
    }
  })();
  return renewing;
}

/**
 * Called once when the page loads, before the first view: completes a sign-in the provider sent back, or
 * resumes the renewal of a session this tab already holds (a reload keeps sessionStorage, not timers).
 */
export async function resumeSession() {
  if (isCallback()) {
    try {
      await completeSignIn();
    } catch (error) {
      session.signOut();
      sessionStorage.setItem(REASON_KEY, `Single sign-on did not complete. ${readable(error)}`);
    }
    return;
  }
  scheduleRenewal();
}

// A background tab's timers are throttled: renew on return if the moment has passed.
document.addEventListener('visibilitychange', () => {
  const state = ssoState();
  if (document.visibilityState === 'visible' && state?.refreshToken && state.renewAt && Date.now() >= state.renewAt) void renewNow();
});

/**
 * Signs out of the console, and with single sign-on at the provider too: the refresh token is revoked (when the
 * provider offers revocation) and the browser goes to its end_session_endpoint, which comes back to the console.
 */
export async function signOut() {
  const state = ssoState();
  clearTimeout(timer);
  session.signOut();
  if (state) {
    try {
      const { oauth, oidc, as, client, auth, http } = await openProvider();
      if (state.refreshToken && as.revocation_endpoint) {
        // Best effort: the provider's sign-out below ends the session even if this fails.
        await oauth.revocationRequest(as, client, auth, state.refreshToken, http).then((res) => oauth.processRevocationResponse(res)).catch(() => undefined);
      }
      if (as.end_session_endpoint) {
        const url = new URL(as.end_session_endpoint);
        url.searchParams.set('client_id', oidc.clientId);
        if (state.idToken) url.searchParams.set('id_token_hint', state.idToken);
        url.searchParams.set('post_logout_redirect_uri', redirectUri());
        sessionStorage.setItem(REASON_KEY, 'You signed out of the console and of your organisation’s sign-in.');
        location.assign(url.href);
        return;
      }
    } catch {
      // The provider is unreachable: the console's own session has ended all the same.
    }
    sessionStorage.setItem(REASON_KEY, 'You signed out of the console. Your organisation’s sign-in may still be open in this browser.');
  }
  location.hash = '#/sign-in';
}
