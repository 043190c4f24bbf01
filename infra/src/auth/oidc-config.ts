/**
 * Single sign-on settings: the OpenID provider the console signs staff in with (authorisation code + PKCE, run by
 * the console itself), and the client it is registered as. Everything here is public client configuration the
 * console is sent by `GET /v1/sign-in/config`: a public client has no secret to keep.
 */
import { z } from 'zod';

/** Hosts on which a plain-http issuer is accepted: a provider on the same machine (development and tests). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The issuer: an https URL (OpenID Connect Discovery requires TLS), or http on a loopback host outside
 * production. No query or fragment: discovery appends `/.well-known/openid-configuration` to it.
 */
export const oidcIssuerSchema = z.string().superRefine((text, ctx) => {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected an https URL, the issuer exactly as the provider names it' });
    return;
  }
  if (parsed.search || parsed.hash) ctx.addIssue({ code: 'custom', message: 'an issuer has no query or fragment' });
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return;
  ctx.addIssue({ code: 'custom', message: 'expected an https URL (http only on 127.0.0.1, localhost or [::1])' });
});

/** RFC 6749 §3.3 scope tokens, space-separated; `openid` is required for an OpenID Connect sign-in. */
export const oidcScopesSchema = z
  .string()
  .transform((text) => text.split(/\s+/).filter(Boolean))
  .pipe(
    z
      .array(z.string().max(200).regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'scope names are printable ASCII without spaces, quotes or backslashes'))
      .min(1)
      .max(20)
      .refine((scopes) => scopes.includes('openid'), 'must include openid'),
  );

export const oidcEnvSchema = {
  HRU_OIDC_ISSUER: oidcIssuerSchema.optional(),
  HRU_OIDC_CLIENT_ID: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
  // offline_access asks for a refresh token, which is how the console renews the session silently.
  HRU_OIDC_SCOPES: oidcScopesSchema.default(['openid', 'profile', 'offline_access']),
  HRU_OIDC_AUDIENCE: z.string().trim().min(1).max(500).optional(),
  /** Shown on the button: "Sign in with <name>". */
  HRU_OIDC_PROVIDER_NAME: z.string().trim().min(1).max(100).default('your organisation'),
};

/** `true`/`false` flags are parsed by the main schema; these are their names here. */
export interface OidcEnv {
  HRU_OIDC_ISSUER?: string | undefined;
  HRU_OIDC_CLIENT_ID?: string | undefined;
  HRU_OIDC_SCOPES: string[];
  HRU_OIDC_AUDIENCE?: string | undefined;
  HRU_OIDC_PROVIDER_NAME: string;
  HRU_OIDC_RESOURCE_INDICATOR: boolean;
}

export interface OidcClientConfig {
  /** The provider's issuer identifier; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** The console's client id at the provider (a public client: no secret, PKCE). */
  clientId: string;
  scopes: readonly string[];
  /** The `aud` the provider's access tokens for the engine carry. */
  audience: string;
  /**
   * Whether the console asks for the audience with an RFC 8707 `resource` parameter. Providers that pick the
   * audience from the scope instead (Microsoft Entra ID: `api://…/.default`) refuse the parameter.
   */
  resourceIndicator: boolean;
  providerName: string;
}

type Issue = (path: string, message: string) => void;

/** Cross-field rules: a half-configured provider is refused at start, naming what is missing. */
export function checkOidcEnv(c: OidcEnv, issue: Issue): void {
  if (c.HRU_OIDC_ISSUER) {
    if (!c.HRU_OIDC_CLIENT_ID) issue('HRU_OIDC_CLIENT_ID', 'required with HRU_OIDC_ISSUER (the console’s client id at the provider)');
    if (!c.HRU_OIDC_AUDIENCE) issue('HRU_OIDC_AUDIENCE', 'required with HRU_OIDC_ISSUER (the audience its access tokens for the engine carry)');
  } else {
    if (c.HRU_OIDC_CLIENT_ID) issue('HRU_OIDC_ISSUER', 'required with HRU_OIDC_CLIENT_ID');
    if (c.HRU_OIDC_AUDIENCE) issue('HRU_OIDC_ISSUER', 'required with HRU_OIDC_AUDIENCE');
  }
  if (c.HRU_OIDC_RESOURCE_INDICATOR && c.HRU_OIDC_AUDIENCE && !isAbsoluteUri(c.HRU_OIDC_AUDIENCE)) {
    issue('HRU_OIDC_AUDIENCE', 'a resource indicator (RFC 8707) is an absolute URI; set HRU_OIDC_RESOURCE_INDICATOR=false if the provider selects the audience by scope');
  }
}

function isAbsoluteUri(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

export function oidcClientConfig(c: OidcEnv): OidcClientConfig | undefined {
  if (!c.HRU_OIDC_ISSUER || !c.HRU_OIDC_CLIENT_ID || !c.HRU_OIDC_AUDIENCE) return undefined;
  return {
    issuer: c.HRU_OIDC_ISSUER,
    clientId: c.HRU_OIDC_CLIENT_ID,
    scopes: c.HRU_OIDC_SCOPES,
    audience: c.HRU_OIDC_AUDIENCE,
    resourceIndicator: c.HRU_OIDC_RESOURCE_INDICATOR,
    providerName: c.HRU_OIDC_PROVIDER_NAME,
  };
}
