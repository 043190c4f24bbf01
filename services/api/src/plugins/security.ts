/**
 * Security headers and per-caller rate limits (keyed by the authenticated caller, else the client address).
 * Failed authentication is throttled apart, before it (access-control.ts).
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { callerId } from '@hru/infra';

export interface SecurityOptions {
  /** Requests per minute per caller. */
  rateLimitPerMinute: number;
  /**
   * Origins the console may fetch from besides its own (the OpenID provider's discovery and token endpoints).
   * Empty: helmet's default policy, unchanged. Only connect-src widens; scripts stay 'self' only.
   */
  connectSources?: readonly string[];
}

export default fp<SecurityOptions>(
  async (app, options) => {
    const connectSources = options.connectSources ?? [];
    await app.register(helmet, {
      global: true,
      ...(connectSources.length > 0 ? { contentSecurityPolicy: { useDefaults: true, directives: { connectSrc: ["'self'", ...connectSources] } } } : {}),
    });
    await app.register(rateLimit, {
      global: true,
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      // A route-level onRequest hook runs after authentication (an instance-level onRequest hook), so a caller
      // is limited as itself however many addresses it uses; and before validation, so requests that fail it
      // (a missing X-Justification, a bad body) count against the caller too, and an over-limit body is not read.
      hook: 'onRequest',
      keyGenerator: (request) => (request.principal ? callerId(request.principal) : `ip:${request.ip}`),
      allowList: (request) => request.routeOptions.config.access !== undefined && 'public' in request.routeOptions.config.access,
    });
  },
  { name: 'security', dependencies: ['access-control'] },
);
