/**
 * Security headers and per-caller rate limits (keyed by the authenticated caller, else the client address).
 * Failed authentication is throttled apart, before it (access-control.ts).
 *
 * The headers are helmet's, for the options below, computed once at start-up: helmet's policies here depend on
 * nothing in the request (no CSP nonces, no per-route options), and @fastify/helmet built the whole middleware
 * chain again for every request, parsing the CSP each time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
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

/** Helmet's options: its defaults, with connect-src widened to the given origins when there are any. */
export function helmetOptions(connectSources: readonly string[]): HelmetOptions {
  return connectSources.length > 0 ? { contentSecurityPolicy: { useDefaults: true, directives: { connectSrc: ["'self'", ...connectSources] } } } : {};
}

/**
 * The headers helmet's middleware sets for these options, as [name, value] pairs, by running it once against a
 * response that records them. (Its one removal, X-Powered-By, is of a header neither Node nor Fastify sets.)
 */
export function securityHeadersOf(options: HelmetOptions): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, String(value)]);
      return recorder;
    },
    removeHeader() {},
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  if (headers.length === 0) throw new Error('helmet set no headers');
  return headers;
}

export default fp<SecurityOptions>(
  async (app, options) => {
    const headers = securityHeadersOf(helmetOptions(options.connectSources ?? []));
    // Where @fastify/helmet set them: an onRequest hook after authentication's, so a request refused there gets
    // none (as before). A callback hook, not an async one: no promise per request.
    app.addHook('onRequest', (_request, reply, done) => {
      const raw = reply.raw;
      for (const [name, value] of headers) raw.setHeader(name, value);
      done();
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
