/**
 * POST /v1/dev/token: DEVELOPMENT ONLY. Mints a token for a chosen role and name, signed with the engine's
 * local secret, so the console can be tried without an identity provider. Never registered when HRU_JWKS_URL
 * is set (then local tokens are refused anyway) or when NODE_ENV=production; and it answers only callers on
 * the loopback interface, because whoever can reach it can become any role.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError, staffRoles } from '@hru/events';
import { loadOrCreateJwtSecret, mintDevToken, type Config } from '@hru/infra';
import { commonProblems } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

const TOKEN_TTL = '8h';

export function devSignInEnabled(config: Config, env: Record<string, string | undefined> = process.env): boolean {
  return config.jwksUrl === undefined && env.NODE_ENV !== 'production';
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const loopbackHost = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
/** A reverse proxy on this machine makes every caller look local: a proxied request is refused. */
const proxyHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host'];

export const devSignInRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  if (!devSignInEnabled(deps.config)) return;
  const secret = loadOrCreateJwtSecret(deps.config.dataDir, deps.config.jwtSecret);

  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/dev/token',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['development only'],
        summary: 'DEVELOPMENT ONLY: mint a token for a chosen role (absent when HRU_JWKS_URL is set or NODE_ENV=production)',
        description:
          'For trying the console without an identity provider. Answers loopback callers only. ' +
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
      const proxied = proxyHeaders.some((h) => request.headers[h] !== undefined);
      if (!loopback.has(request.ip) || proxied || !loopbackHost.test(request.headers.host ?? '')) {
        throw new ForbiddenError('Development sign-in answers callers on this machine only (not through a proxy)');
      }
      const { role, name, sub, agency } = request.body;
      const token = await mintDevToken(secret, { sub, name, roles: [role], agency, ttl: TOKEN_TTL });
      return { token, expiresIn: TOKEN_TTL, development: true as const };
    },
  );
};
