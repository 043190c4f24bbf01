/**
 * Request and correlation ids. The request id is always the server's own (the access log cites it, so a caller
 * must not choose it); a caller's well-formed `X-Request-Id` is kept beside it as `clientRequestId`, echoed back
 * as `X-Client-Request-Id` and bound to the request's log lines. A caller's `X-Correlation-Id` is kept when
 * well-formed, else the request id stands in. Both ids are echoed back.
 */
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
    /** The caller's own `X-Request-Id`, when well-formed. */
    clientRequestId: string | undefined;
  }
}

const wellFormed = /^[A-Za-z0-9._:-]{1,100}$/;

/** The field that holds the request id on every log line of a request (Fastify's `requestIdLogLabel`). */
export const REQUEST_ID_LOG_LABEL = 'requestId';

export function requestIdOf(): string {
  return randomUUID();
}

export function clientRequestIdOf(raw: IncomingMessage): string | undefined {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && wellFormed.test(given) ? given : undefined;
}

function correlationIdOf(raw: IncomingMessage, requestId: string): string {
  const given = raw.headers['x-correlation-id'];
  return typeof given === 'string' && wellFormed.test(given) ? given : requestId;
}

/**
 * Fastify's `childLoggerFactory`: the request's logger carries the correlation id (and the caller's request id)
 * from the start, in the one child logger Fastify makes per request anyway, instead of a second child made by a
 * hook. `bindings` holds the request id under REQUEST_ID_LOG_LABEL.
 */
export const requestLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options, raw) => {
  const requestId = String(bindings[REQUEST_ID_LOG_LABEL]);
  const clientRequestId = clientRequestIdOf(raw);
  return logger.child({ ...bindings, correlationId: correlationIdOf(raw, requestId), ...(clientRequestId ? { clientRequestId } : {}) }, options);
};

export default fp(
  async (app) => {
    app.decorateRequest('correlationId', '');
    app.decorateRequest('clientRequestId', undefined);
    // A callback hook, not an async one: no promise per request.
    app.addHook('onRequest', (request, reply, done) => {
      request.correlationId = correlationIdOf(request.raw, request.id);
      request.clientRequestId = clientRequestIdOf(request.raw);
      reply.header('X-Request-Id', request.id);
      if (request.clientRequestId) reply.header('X-Client-Request-Id', request.clientRequestId);
      reply.header('X-Correlation-Id', request.correlationId);
      done();
    });
  },
  { name: 'request-context' },
);
