/**
 * Request and correlation ids: a caller's `X-Request-Id` / `X-Correlation-Id` are kept when well-formed, else
 * generated; both are echoed back and bound to every log line of the request.
 */
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
  }
}

const wellFormed = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && wellFormed.test(given) ? given : randomUUID();
}

export default fp(
  async (app) => {
    app.decorateRequest('correlationId', '');
    app.addHook('onRequest', async (request, reply) => {
      const given = request.headers['x-correlation-id'];
      request.correlationId = typeof given === 'string' && wellFormed.test(given) ? given : request.id;
      request.log = request.log.child({ correlationId: request.correlationId });
      reply.header('X-Request-Id', request.id);
      reply.header('X-Correlation-Id', request.correlationId);
    });
  },
  { name: 'request-context' },
);
