/**
 * POST /v1/dev/token: DEVELOPMENT ONLY. Mints a token for a chosen role and name, signed with the engine's
 * local secret, so the console can be tried without an identity provider. Off unless asked for
 * (HRU_DEV_SIGN_IN=true, or `hru start --dev`, which `npm start` passes), and refused by the configuration
 * with HRU_JWKS_URL or NODE_ENV=production. Whoever reaches it can become any role, so it answers only a
 * loopback socket, addressed by a loopback Host, with no sign of a proxy in between.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError, staffRoles } from '@hru/events';
import { formatDuration, loadOrCreateJwtSecret, mintDevToken, type Config } from '@hru/infra';
import { commonProblems } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

const TOKEN_TTL_MS = 8 * 3_600_000;

export function devSignInEnabled(config: Config): boolean {
  return config.devSignIn && config.jwksUrl === undefined && config.oidc === undefined && !config.production;
}

const loopbackAddress = /^(127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3})$/;
const loopbackHost = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
/**
 * A reverse proxy on this machine makes every caller look local. Proxies and CDNs name their headers in many
 * ways (Forwarded, X-Forwarded-*, Via, X-Real-IP, True-Client-IP, CF-Connecting-IP, Fastly-Client-IP,
 * X-Cluster-Client-IP, X-Original-*, X-Envoy-*…), so any header that looks like one refuses the request: a
 * false refusal costs a developer a moment, a false admission costs an admin token.
 */
const forwardingHeader =
  /forward|^via$|client-?ip|real-?ip|remote-?(addr|ip|host)|originating|connecting-?ip|^x-original-|^x-envoy-|^x-azure-|^x-appengine-|^cf-|^fastly-|^akamai-|^cdn-|^x-proxy|^x-host$|^x-amzn-/i;

/** Why a request may not have a development token, or undefined when it may. */
export function devSignInRefusal(request: FastifyRequest): string | undefined {
  const proxied = Object.keys(request.headers).find((name) => forwardingHeader.test(name));
  if (proxied) return `it carries the forwarding header ${proxied}`;
  if (!loopbackAddress.test(request.raw.socket.remoteAddress ?? '')) return 'it does not come from a loopback address';
  if (!loopbackHost.test(request.headers.host ?? '')) return 'it is not addressed to a loopback host';
  return undefined;
}

export const devSignInRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  if (!devSignInEnabled(deps.config)) return;
  const secret = loadOrCreateJwtSecret(deps.config.dataDir, deps.config.jwtSecret);
  // Never longer than the engine accepts (HRU_MAX_TOKEN_LIFETIME).
  const ttlMs = Math.min(TOKEN_TTL_MS, deps.config.maxTokenLifetimeMs);

  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/dev/token',
    {
      config: { access: { public: true } },
      // Before the body is read: a refused caller gets nothing else from this route.
      onRequest: async (request) => {
        const refusal = devSignInRefusal(request);
        if (!refusal) return;
        request.log.warn({ securityEvent: 'dev_sign_in_refused', address: request.raw.socket.remoteAddress, refusal }, 'development sign-in refused');
        throw new ForbiddenError(`Development sign-in answers callers on this machine only, not through a proxy: ${refusal}`);
      },
      schema: {
        tags: ['development only'],
        summary: 'DEVELOPMENT ONLY: mint a token for a chosen role (present only with HRU_DEV_SIGN_IN=true or hru start --dev)',
        description:
          'For trying the console without an identity provider. Answers loopback callers only, never through a proxy. ' +
          'In production staff sign in with the identity provider and send its token.',
        body: z.strictObject({
          role: z.enum(staffRoles),
          name: z.string().trim().min(1).max(200),
          sub: z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ -'),
          agency: z.string().trim().min(1).max(100).default('police'),
        }),
        response: { 200: z.object({ token: z.string(), expiresIn: z.string(), development: z.literal(true) }), ...commonProblems },
      },
    },
    async (request) => {
      const { role, name, sub, agency } = request.body;
      const expiresIn = formatDuration(ttlMs);
      const token = await mintDevToken(secret, { sub, name, roles: [role], agency, ttl: expiresIn });
      return { token, expiresIn, development: true as const };
    },
  );
};
