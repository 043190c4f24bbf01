/**
 * A real OpenID provider in the test process: panva's `oidc-provider` (a certified OpenID Connect provider),
 * configured as a force's provider would be for the console:
 * - one public client (no secret, PKCE required) whose redirect and post-logout URI is the console;
 * - JWT access tokens for the engine's audience, asked for with an RFC 8707 resource indicator, carrying the
 *   claims the engine reads (sub, name, roles, agency), with a short lifetime so renewal happens in a test;
 * - refresh tokens for the public client (rotated on each use: the provider's default for public clients);
 * - a sign-in page a test fills in (user name only: these accounts have no password) and automatic consent;
 * - RP-initiated logout and token revocation.
 *
 * The HTTP server starts first (its address is the issuer the engine is configured with); the provider itself
 * is built when the console's address is known, as its client registration names that address.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';

export interface TestAccount {
  name: string;
  roles: string[];
  agency: string;
}

export interface TokenGrant {
  grantType: string;
  /** When the provider answered, epoch ms. */
  at: number;
}

export interface TestOpenIdProvider {
  /** The issuer: give it to HRU_OIDC_ISSUER. */
  readonly issuer: string;
  /** Registers the console's client (its redirect URI) and starts answering. */
  start(client: { clientId: string; redirectUri: string }): Promise<void>;
  /** Every successful token request, in order. */
  readonly grants: readonly TokenGrant[];
  /** The grant types of token requests the provider refused, in order. */
  readonly refusals: readonly string[];
  /** How many times the key set was fetched (by the engine, to verify the access tokens). */
  readonly jwksFetches: number;
  close(): Promise<void>;
}

export interface OpenIdProviderOptions {
  /** The engine's audience: the one resource the provider issues JWT access tokens for. */
  audience: string;
  /** Access token lifetime, seconds. */
  accessTokenSeconds: number;
  accounts: Record<string, TestAccount>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

export async function startOpenIdProvider(options: OpenIdProviderOptions): Promise<TestOpenIdProvider> {
  const grants: TokenGrant[] = [];
  const refusals: string[] = [];
  let jwksFetches = 0;
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (!handle) return void res.writeHead(503).end('provider not started');
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

  async function start(client: { clientId: string; redirectUri: string }): Promise<void> {
    const consoleOrigin = new URL(client.redirectUri).origin;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: client.clientId,
          token_endpoint_auth_method: 'none',
          application_type: 'web',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: [client.redirectUri],
          post_logout_redirect_uris: [client.redirectUri],
        },
      ],
      jwks: { keys: [signingKey] },
      cookies: { keys: ['test-provider-cookie-key-0123456789'] },
      claims: { openid: ['sub'], profile: ['name'] },
      scopes: ['openid', 'profile', 'offline_access', 'hru'],
      async findAccount(_ctx, id) {
        const account = options.accounts[id];
        if (!account) return undefined;
        return { accountId: id, claims: () => ({ sub: id, name: account.name }) };
      },
      features: {
        devInteractions: { enabled: false },
        // A client revokes its own tokens only.
        revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          getResourceServerInfo(_ctx, indicator) {
            if (indicator !== options.audience) throw new errors.InvalidTarget();
            return {
              scope: 'hru',
              audience: options.audience,
              accessTokenTTL: options.accessTokenSeconds,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      // The claims the engine reads, in the access token (what an IdP's claims mapping does for the engine).
      async extraTokenClaims(_ctx, token) {
        const account = 'accountId' in token && typeof token.accountId === 'string' ? options.accounts[token.accountId] : undefined;
        return account ? { name: account.name, roles: account.roles, agency: account.agency } : undefined;
      },
      // Refresh tokens for the public client without prompt=consent (the provider's default asks for it).
      issueRefreshToken: async (_ctx, oidcClient) => oidcClient.grantTypeAllowed('refresh_token'),
      clientBasedCORS: (_ctx, origin) => origin === consoleOrigin,
      pkce: { required: () => true },
      ttl: { AccessToken: options.accessTokenSeconds, RefreshToken: 3_600, Session: 3_600, Grant: 3_600, Interaction: 600, IdToken: 3_600, AuthorizationCode: 60 },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    });
    provider.on('grant.success', (ctx) => grants.push({ grantType: String(ctx.oidc.params?.grant_type), at: Date.now() }));
    provider.on('grant.error', (ctx) => refusals.push(String(ctx.oidc.params?.grant_type)));
    const callback = provider.callback();

    handle = (req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      if (url.pathname === '/jwks') jwksFetches += 1;
      const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
      if (!interaction) return void callback(req, res);
      interact(provider, req, res, interaction[2] !== undefined).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    };
  }

  /** The sign-in page (user name only), and consent given at once for whatever the client asked. */
  async function interact(provider: Provider, req: IncomingMessage, res: ServerResponse, submitted: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (submitted && req.method === 'POST') {
        const login = (await readForm(req)).get('login') ?? '';
        if (options.accounts[login]) return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="en"><head><title>Test provider: sign in</title></head><body><h1>Test provider sign-in</h1>` +
          `<form method="post" action="/interaction/${escapeHtml(details.uid)}/login">` +
          `<label>User name <input name="login" autocomplete="username"></label> <button type="submit">Sign in</button></form></body></html>`,
      );
      return;
    }
    const { accountId } = details.session ?? {};
    const clientId = String(details.params.client_id);
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: accountId!, clientId });
    if (!grant) throw new Error('grant not found');
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return {
    issuer,
    start,
    get grants() {
      return grants;
    },
    get refusals() {
      return refusals;
    },
    get jwksFetches() {
      return jwksFetches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
