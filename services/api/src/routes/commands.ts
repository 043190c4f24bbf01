/**
 * POST /v1/referrals/:id/commands/<command>: one route per lifecycle command of the workflow catalogue, so each
 * has its own body schema and roles in the OpenAPI document (the console builds its forms from them).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HruError, NotFoundError } from '@hru/events';
import { actorOf } from '@hru/infra';
import { requirePrincipal } from '../plugins/access-control.js';
import { staffCommandCatalogue } from '../schemas/command-catalogue.js';
import { allStaff, etag, ifMatchHeaders, parseIfMatch, referralIdParams } from '../schemas/common.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { loadReadable, ofOwningForce } from '../schemas/read-access.js';

const commandReply = z.object({
  referralId: z.string(),
  revision: z.number().int(),
  stage: z.string(),
  events: z.array(z.string()).describe('Types of the events the command recorded (none when it changed nothing)'),
  allowedCommands: z.array(z.string()),
});

export const commandRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const command of staffCommandCatalogue) {
    typed.post(
      `/v1/referrals/:id/commands/${command.name}`,
      {
        config: { access: { staff: command.roles } },
        schema: {
          tags: ['commands'],
          operationId: `command-${command.name}`,
          summary: command.summary,
          description: `${command.summary}. Roles: ${command.roles.join(', ')}. 409 with allowedCommands when the state does not allow it; 412 on a stale If-Match.`,
          security: [{ bearer: [] }],
          params: referralIdParams,
          headers: ifMatchHeaders,
          body: command.schema,
          response: { 200: commandReply, 404: problemSchema, 409: problemSchema, 412: problemSchema, ...commonProblems },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        // Acting on a referral needs the right to read it (the reply names its stage and allowed commands), except
        // for the owning force's data protection officer on a command of theirs (the retention review): they work on
        // the force's records, not on case content, and the reply names no person. The handler still 404s an unknown id.
        const recordsWork = principal.kind === 'staff' && principal.roles.includes('data_protection') && command.roles.includes('data_protection');
        if (!(recordsWork && ofOwningForce(deps, principal))) await loadReadable(deps, request, request.params.id);
        try {
          const result = await deps.commands.handle(
            request.params.id,
            { name: command.name, payload: request.body },
            {
              actor: actorOf(principal),
              correlationId: request.correlationId,
              causationId: request.id,
              now: deps.now().toISOString(),
              expectedRevision: parseIfMatch(request.headers['if-match']),
            },
          );
          // The handler caches the folded state, so this re-load reads no events.
          const after = await deps.commands.load(request.params.id);
          void reply.header('ETag', etag(result.revision));
          return {
            referralId: request.params.id,
            revision: result.revision,
            stage: result.view.stage,
            events: result.events.map((e) => e.type),
            allowedCommands: after?.allowedCommands ?? [],
          };
        } catch (error) {
          if (error instanceof HruError) deps.metrics.commandRejections.inc({ command: command.name, code: error.code });
          throw error;
        }
      },
    );
  }

  typed.post(
    '/v1/referrals/:id/commands/:command',
    {
      config: { access: { staff: allStaff } },
      schema: { hide: true, params: referralIdParams.extend({ command: z.string().max(100) }) },
    },
    async (request) => {
      throw new NotFoundError('Command', request.params.command);
    },
  );
};
