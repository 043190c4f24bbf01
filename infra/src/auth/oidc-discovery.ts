/**
 * The key set of an OpenID provider found by its discovery document (OpenID Connect Discovery 1.0 §4), so that
 * configuring the issuer is enough: HRU_JWKS_URL is needed only when the keys live elsewhere.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

const DISCOVERY_TIMEOUT_MS = 5_000;

const discoverySchema = z.looseObject({ issuer: z.string(), jwks_uri: z.url({ protocol: /^https?$/ }) });

/** The discovery URL of an issuer: the well-known suffix appended to its path (a trailing slash is not doubled). */
export function discoveryUrl(issuer: string): URL {
  return new URL(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
}

/** Reads the provider's discovery document and returns its `jwks_uri`, refusing one issued for another issuer. */
export async function discoverJwksUri(issuer: string, fetchImpl: typeof fetch = fetch): Promise<URL> {
  const res = await fetchImpl(discoveryUrl(issuer), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`the OpenID provider's discovery document answered HTTP ${res.status}`);
  const parsed = discoverySchema.safeParse(await res.json());
  if (!parsed.success) throw new Error('the OpenID provider’s discovery document has no valid issuer and jwks_uri');
  // Discovery §4.3: the document must name the issuer it was fetched for, or it may be another tenant's.
  if (parsed.data.issuer !== issuer) throw new Error(`the discovery document names the issuer ${parsed.data.issuer}, not ${issuer}`);
  const jwks = new URL(parsed.data.jwks_uri);
  if (jwks.protocol !== 'https:' && new URL(issuer).protocol === 'https:') throw new Error('the provider’s jwks_uri is not https');
  return jwks;
}

/**
 * A key resolver that discovers the key set on first use, not at start: the engine starts (and reports itself
 * not able to verify) while the provider is unreachable, and a failed discovery is retried on the next token.
 */
export function discoveredKeySet(issuer: string, fetchImpl: typeof fetch = fetch): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keys ??= discoverJwksUri(issuer, fetchImpl).then((uri) => createRemoteJWKSet(uri));
    const pending = keys;
    pending.catch(() => {
      if (keys === pending) keys = undefined;
    });
    return (await pending)(header, token);
  };
}
