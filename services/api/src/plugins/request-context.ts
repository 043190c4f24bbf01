/**
 * Request and correlation ids. The request id is always the server's own (the access log cites it, so a caller
 * must not choose it); a caller's well-formed `X-Request-Id` is kept beside it as `clientRequestId`, echoed back
 * as `X-Client-Request-Id` and bound to the request's log lines. A caller's `X-Correlation-Id` is kept when
 * well-formed, else the request id stands in. Both ids are echoed back.
 */
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
    /** The caller's own `X-Request-Id`, when well-formed. */
    clientRequestId: string | undefined;
  }
}

const wellFormed = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestIdOf(): string {
  return randomUUID();
}

export function clientRequestIdOf(raw: IncomingMessage): string | undefined {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && wellFormed.test(given) ? given : undefined;
}

export default fp(
  async (app) => {
    app.decorateRequest('correlationId', '');
    app.decorateRequest('clientRequestId', undefined);
    app.addHook('onRequest', async (request, reply) => {
      const given = request.headers['x-correlation-id'];
      request.correlationId = typeof given === 'string' && wellFormed.test(given) ? given : request.id;
      request.clientRequestId = clientRequestIdOf(request.raw);
      request.log = request.log.child({ correlationId: request.correlationId, ...(request.clientRequestId ? { clientRequestId: request.clientRequestId } : {}) });
      reply.header('X-Request-Id', request.id);
      if (request.clientRequestId) reply.header('X-Client-Request-Id', request.clientRequestId);
      reply.header('X-Correlation-Id', request.correlationId);
    });
  },
  { name: 'request-context' },
);
