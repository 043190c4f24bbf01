/**
 * Authentication and role checks, deny by default: every route must declare who may call it in
 * `config.access`; a route without a declaration refuses to register, so nothing is open by accident.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError, type Role } from '@hru/events';
import { hasAnyRole, sourceSystemForKey, type Principal, type TokenVerifier } from '@hru/infra';

export type Access =
  | { public: true }
  /** Staff with any of these roles; and/or source systems (API keys). */
  | { staff?: readonly Role[]; sources?: boolean };

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

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (request.is404 || !access || 'public' in access) return;
      const principal = await authenticate(request, options);
      request.principal = principal;
      const allowed =
        principal.kind === 'source' ? access.sources === true : access.staff !== undefined && hasAnyRole(principal, access.staff);
      if (!allowed) {
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
  throw new UnauthenticatedError(`Unsupported authorization scheme ${scheme}`);
}
