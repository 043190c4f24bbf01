/** Security headers and per-caller rate limits (keyed by the authenticated caller, else the client address). */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { callerId } from '@hru/infra';

export interface SecurityOptions {
  /** Requests per minute per caller. */
  rateLimitPerMinute: number;
}

export default fp<SecurityOptions>(
  async (app, options) => {
    await app.register(helmet, { global: true });
    await app.register(rateLimit, {
      global: true,
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      // After authentication, so a caller is limited as itself however many addresses it uses.
      hook: 'preHandler',
      keyGenerator: (request) => (request.principal ? callerId(request.principal) : `ip:${request.ip}`),
      allowList: (request) => request.routeOptions.config.access !== undefined && 'public' in request.routeOptions.config.access,
    });
  },
  { name: 'security', dependencies: ['access-control'] },
);
