/**
 * One log line per request, when it completes (method, route, path, status, duration; the request and
 * correlation ids come from the request's child logger), instead of Fastify's two. Under load the log is the
 * engine's largest write, and the incoming-request line says nothing the completion line does not.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Fields a route adds to its request's one line (the intake's referral id and outcome), instead of a line of its own. */
const extraFields = new WeakMap<FastifyRequest, Record<string, unknown>>();

/** Adds `fields` to the line logged when `request` completes (they are redacted like any other field). */
export function addToRequestLine(request: FastifyRequest, fields: Record<string, unknown>): void {
  extraFields.set(request, { ...extraFields.get(request), ...fields });
}

export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {
    // Nothing: the completion line carries the request.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      path: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      ...extraFields.get(request),
    };
    if (error) request.log.error({ ...line, err: error }, 'request errored');
    else request.log.info(line, 'request');
  }
}
