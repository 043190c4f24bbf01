/**
 * Authentication and role checks, deny by default: every route must declare who may call it in
 * `config.access`; a route without a declaration refuses to register, so nothing is open by accident.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, type Role } from '@hru/events';
import { hasAnyRole, sourceSystemForKey, type Principal, type TokenVerifier } from '@hru/infra';
import { FailureWindows, claimedIdentity } from './failure-throttle.js';

export type Access =
  | { public: true }
  /**
   * Staff with any of these roles; and/or source systems (API keys). `personalData` marks a route whose reply
   * carries personal data: it needs a justification (`true`: the X-Justification header; `body`: a
   * `justification` field of the body) and writes an access-log entry (DPA 2018 s62) before replying. The
   * OpenAPI walk test holds every route to its mark.
   */
  | { staff?: readonly Role[]; sources?: boolean; personalData?: true | 'body' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyInstance {
    /** Every route's declared access, by `METHOD path`: the role matrix tests and documents it. */
    routeAccess: Map<string, Access>;
  }
}

/**
 * Routes added by third-party plugins that are public by contract (documentation), and the console's static
 * assets: they carry no data, and every API call the console makes still needs a token.
 */
const publicPrefixes = ['/docs', '/openapi.json', '/console'];
/** The site root, which only sends a browser to the console: an exact path, as the prefix `/` would open everything. */
const publicPaths = ['/'];

export interface AccessControlOptions {
  verifyToken: TokenVerifier;
  sourceKeys: ReadonlyMap<string, string>;
  /** Failed authentications a minute per client address and per claimed identity before 429. */
  authFailuresPerMinute: number;
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError();
  return request.principal;
}

export default fp<AccessControlOptions>(
  async (app, options) => {
    app.decorateRequest('principal', undefined);
    app.decorate('routeAccess', new Map<string, Access>());

    app.addHook('onRoute', (route) => {
      if (publicPrefixes.some((p) => route.url.startsWith(p)) || publicPaths.includes(route.url)) {
        route.config = { ...(route.config ?? {}), access: { public: true } };
      }
      const access = route.config?.access;
      if (!access) throw new Error(`Route ${route.method} ${route.url} declares no access (deny by default)`);
      for (const method of [route.method].flat()) app.routeAccess.set(`${method} ${route.url}`, access);
    });

    const failures = new FailureWindows(options.authFailuresPerMinute);
    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (request.is404 || !access || 'public' in access) return;
      const principal = await authenticateThrottled(request, options, failures);
      request.principal = principal;
      const allowed =
        principal.kind === 'source' ? access.sources === true : access.staff !== undefined && hasAnyRole(principal, access.staff);
      if (!allowed) {
        request.log.warn(
          {
            securityEvent: 'role_refused',
            ...(principal.kind === 'staff' ? { sub: principal.sub, agency: principal.agency, roles: principal.roles } : { system: principal.system }),
          },
          'route refused for the caller’s roles',
        );
        throw new ForbiddenError(
          principal.kind === 'source'
            ? 'Source systems may not call this route'
            : `This route needs one of the roles: ${(access.staff ?? []).join(', ') || '(none: source systems only)'}`,
          { requiredRoles: [...(access.staff ?? [])] },
        );
      }
    });
  },
  { name: 'access-control' },
);

/**
 * Authenticates unless the address or the claimed identity has failed too often this minute (then 429, before
 * any token is checked); each failure is counted against both and logged as a security event with the
 * address and the reason, never the credential.
 */
async function authenticateThrottled(request: FastifyRequest, options: AccessControlOptions, failures: FailureWindows): Promise<Principal> {
  const address = `ip:${request.ip}`;
  // The claimed identity costs a keyed hash (or a token decode): worked out only when some failure is on record
  // (else no window can hold it) or this attempt fails.
  let claimed = failures.empty ? undefined : claimedIdentity(request.headers.authorization);
  const wait = Math.max(failures.waitFor(address), claimed ? failures.waitFor(claimed) : 0);
  if (wait > 0) throw new RateLimitedError('Too many failed authentication attempts; try again later', wait);
  try {
    return await authenticate(request, options);
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
    claimed ??= claimedIdentity(request.headers.authorization);
    const limitReached = [failures.record(address), claimed ? failures.record(claimed) : false].some(Boolean);
    request.log.warn(
      { securityEvent: 'authentication_failed', address: request.ip, claimed, failure: error.message, ...(limitReached ? { throttled: true } : {}) },
      limitReached ? 'authentication failed; further attempts are throttled for a minute' : 'authentication failed',
    );
    throw error;
  }
}

async function authenticate(request: FastifyRequest, options: AccessControlOptions): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) throw new UnauthenticatedError('Send Authorization: Bearer <token> (staff) or ApiKey <key> (source systems)');
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const credential = header.slice(space + 1).trim();
  if (space < 0 || !credential) throw new UnauthenticatedError('Malformed Authorization header');
  if (scheme === 'bearer') return options.verifyToken(credential);
  if (scheme === 'apikey') {
    const system = sourceSystemForKey(credential, options.sourceKeys);
    if (!system) throw new UnauthenticatedError('The API key was refused');
    return { kind: 'source', system };
  }
  // Named only when it looks like a scheme: a secret pasted without one must not reach the log.
  throw new UnauthenticatedError(/^[a-z][a-z0-9-]{0,19}$/.test(scheme) ? `Unsupported authorization scheme ${scheme}` : 'Unsupported authorization scheme');
}
