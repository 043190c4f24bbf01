/**
 * Staff bearer tokens. Development: HS256 with the local secret (`hru token` mints them). Production: tokens
 * of the force's identity provider, verified against its JWKS (RS256/ES256); then no local secret is trusted.
 */
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError, type Role } from '@hru/events';
import { parseDuration } from '../duration.js';
import { staffClaimsSchema, type StaffPrincipal } from './principal.js';

export const TOKEN_ISSUER = 'hru-dev';
export const TOKEN_AUDIENCE = 'hru';

export interface DevTokenRequest {
  sub: string;
  name: string;
  roles: Role[];
  agency: string;
  /** `8h`, `30m`…; default 8h. */
  ttl?: string;
}

export async function mintDevToken(secret: string, request: DevTokenRequest): Promise<string> {
  const ttlMs = parseDuration(request.ttl ?? '8h');
  if (ttlMs === undefined) throw new Error(`Bad token lifetime "${request.ttl}" (use 30m, 8h, 1d)`);
  return new SignJWT({ name: request.name, roles: request.roles, agency: request.agency })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(new Date(Date.now() + ttlMs))
    .sign(new TextEncoder().encode(secret));
}

export type TokenVerifier = (token: string) => Promise<StaffPrincipal>;

export interface TokenVerifierOptions {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
  /** With an identity provider: the `iss` and `aud` its tokens must carry (checked when set). */
  issuer?: string | undefined;
  audience?: string | undefined;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  let verify: (token: string) => Promise<JWTPayload>;
  if (options.jwksUrl) {
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(options.jwksUrl));
    const checks = { algorithms: ['RS256', 'ES256'], ...(options.issuer ? { issuer: options.issuer } : {}), ...(options.audience ? { audience: options.audience } : {}) };
    verify = async (token) => (await jwtVerify(token, keys, checks)).payload;
  } else if (options.secret) {
    const key = new TextEncoder().encode(options.secret);
    verify = async (token) =>
      (await jwtVerify(token, key, { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE })).payload;
  } else {
    throw new Error('A JWT secret or a JWKS URL is required');
  }
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch (error) {
      throw new UnauthenticatedError(`The bearer token was refused: ${(error as { code?: string }).code ?? 'invalid'}`);
    }
    const claims = staffClaimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthenticatedError('The bearer token lacks valid sub, name, roles or agency claims');
    return { kind: 'staff', ...claims.data };
  };
}
