/** POST /v1/referrals: intake from crime recording systems, idempotent on (system, crimeReference). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError } from '@hru/events';
import { actorOf } from '@hru/infra';
import { intakeBodySchema, referralIdFor } from '@hru/workflows';
import { addToRequestLine } from '../plugins/request-log.js';
import { requirePrincipal } from '../plugins/access-control.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import { etag } from '../schemas/common.js';
import type { ApiDeps } from '../deps.js';

const intakeReply = z.object({
  referralId: z.string(),
  status: z.string().describe('The referral stage'),
  urgent: z.boolean().describe('An urgent action is open on the referral'),
  revision: z.number().int(),
});

export const intakeRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/referrals',
    {
      config: { access: { sources: true } },
      schema: {
        tags: ['intake'],
        summary: 'Receive a referral from a crime recording system',
        description:
          '201 for a new referral; 200 with the same referralId when the same (system, crimeReference) arrives again. ' +
          'Changed facts for a known crime are recorded as an update. Intake rules may raise an urgent action.',
        security: [{ apiKey: [] }],
        body: intakeBodySchema,
        response: { 200: intakeReply, 201: intakeReply, 409: problemSchema, 413: problemSchema, 415: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const body = request.body;
      if (principal.kind !== 'source' || body.source.system !== principal.system) {
        throw new ForbiddenError('A source system may only send referrals for its own crimes (source.system)');
      }
      const referralId = referralIdFor(body.source.system, body.source.crimeReference);
      const result = await deps.commands.handle(
        referralId,
        { name: 'receive-referral', payload: body },
        { actor: actorOf(principal), correlationId: request.correlationId, causationId: request.id, now: deps.now().toISOString() },
      );
      const outcome = result.created ? 'created' : result.events.length > 0 ? 'updated' : 'repeated';
      deps.metrics.intakes.inc({ outcome });
      // On the request's own line (request-log.ts): one line per intake, not two.
      addToRequestLine(request, { referralId, outcome, revision: result.revision });
      void reply
        .status(result.created ? 201 : 200)
        .header('Location', `/v1/referrals/${referralId}`)
        .header('ETag', etag(result.revision));
      return {
        referralId,
        status: result.view.stage,
        urgent: result.view.urgentStatus !== 'none',
        revision: result.revision,
      };
    },
  );
};
