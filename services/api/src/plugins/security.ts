/**
 * Security headers (on every answer, refused authentications included) and per-caller rate limits (keyed by the
 * authenticated caller, else the client address). Failed authentication is throttled apart, before the rate
 * limit (access-control.ts).
 *
 * The headers are helmet's, for the options below, computed once at start-up: helmet's policies here depend on
 * nothing in the request (no CSP nonces, no per-route options), and @fastify/helmet built the whole middleware
 * chain again for every request, parsing the CSP each time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { RateLimitedError } from '@hru/events';
import { callerId } from '@hru/infra';
import { CallerWindows } from './caller-windows.js';

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

/**
 * The headers, on every answer: registered before access control, so that a refused authentication (401, or 429
 * when failures are throttled) carries them too. @fastify/helmet ran after authentication, and those answers went
 * out bare. A callback hook, not an async one: no promise per request.
 */
export const securityHeaders = fp<Pick<SecurityOptions, 'connectSources'>>(
  async (app, options) => {
    const headers = securityHeadersOf(helmetOptions(options.connectSources ?? []));
    app.addHook('onRequest', (_request, reply, done) => {
      const raw = reply.raw;
      for (const [name, value] of headers) raw.setHeader(name, value);
      done();
    });
  },
  { name: 'security-headers' },
);

export default fp<Omit<SecurityOptions, 'connectSources'>>(
  async (app, options) => {
    const max = options.rateLimitPerMinute;
    const windows = new CallerWindows();
    // x-ratelimit-* on every limited answer, and 429 (with Retry-After) past the limit, as @fastify/rate-limit did.
    const limit = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const { count, ttlMs } = windows.hit(request.principal ? callerId(request.principal) : `ip:${request.ip}`);
      const resetSeconds = Math.ceil(ttlMs / 1000);
      reply.header('x-ratelimit-limit', max);
      reply.header('x-ratelimit-remaining', Math.max(0, max - count));
      reply.header('x-ratelimit-reset', resetSeconds);
      if (count <= max) return done();
      done(new RateLimitedError(`Rate limit exceeded (${max} requests a minute); retry in ${resetSeconds} s`, resetSeconds));
    };
    // A route-level onRequest hook runs after authentication (an instance-level onRequest hook), so a caller is
    // limited as itself however many addresses it uses; and before validation, so requests that fail it (a missing
    // X-Justification, a bad body) count against the caller too, and an over-limit body is not read. Public routes
    // (health, documentation, the console's files) are not limited.
    app.addHook('onRoute', (route) => {
      const access = route.config?.access;
      if (access && 'public' in access) return;
      route.onRequest = [route.onRequest ?? []].flat().concat(limit);
    });
  },
  { name: 'security', dependencies: ['access-control', 'security-headers'] },
);
