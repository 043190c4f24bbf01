import type { FastifyRequest } from 'fastify';
import type { AccessedResource } from '@hru/events';
import { actorOf } from '@hru/infra';
import { requirePrincipal } from '../plugins/access-control.js';
import type { ApiDeps } from '../deps.js';

/**
 * Writes the access-log entry (DPA 2018 s62) of a justified read. Call it before the data leaves: a read
 * that cannot be logged does not happen.
 */
export async function logConsultation(deps: ApiDeps, request: FastifyRequest, referralId: string, resource: AccessedResource): Promise<void> {
  const justification = request.headers['x-justification'];
  await deps.accessLog.record({
    referralId,
    resource,
    justification: typeof justification === 'string' ? justification : '',
    actor: actorOf(requirePrincipal(request)),
    correlationId: request.correlationId,
    requestId: request.id,
    clientRequestId: request.clientRequestId,
    at: deps.now(),
  });
}
