/** GET /v1/referrals/:id: the current state of one referral, with its personal data, for a stated reason. */
import { toTimelineEntry } from '@hru/application';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../plugins/access-control.js';
import { commandsAvailableTo } from '../schemas/command-catalogue.js';
import { etag, justificationHeaders, referralIdParams } from '../schemas/common.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { logConsultation } from '../schemas/consultation.js';
import { loadReadable } from '../schemas/read-access.js';
import { personalDataReaders } from '../schemas/common.js';

const RECENT_EVENTS = 100;

const referralReply = z
  .object({
    referralId: z.string(),
    revision: z.number().int(),
    stage: z.string(),
    allowedCommands: z.array(z.string()).describe('Commands the referral accepts in its current state'),
    availableToYou: z.array(z.string()).describe('The allowed commands your roles may issue'),
    recentEvents: z
      .array(z.record(z.string(), z.unknown()))
      .describe(`The latest ${RECENT_EVENTS} events as a timeline (who, what, when; without the events' personal sections, so no why), oldest first. The full history is GET /v1/referrals/:id/history (auditors and supervisors).`),
  })
  .loose();

export const referralRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/referrals/:id',
    {
      config: { access: { staff: personalDataReaders, personalData: true } },
      schema: {
        tags: ['referrals'],
        summary: 'Current state of a referral (personal data: needs X-Justification; the read is logged). Admins are refused; partner agency staff read only referrals they are entitled to (else 404)',
        security: [{ bearer: [] }],
        params: referralIdParams,
        headers: justificationHeaders,
        response: { 200: referralReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { id } = request.params;
      const loaded = await loadReadable(deps, request, id);
      await logConsultation(deps, request, id, 'referral');
      // Practitioners need to see who did what and why; the full, paged history is the auditors' route.
      const recent = await deps.store.readStream(id, { direction: 'backwards', maxCount: RECENT_EVENTS });
      void reply.header('ETag', etag(loaded.revision)).header('Cache-Control', 'no-store');
      return {
        ...loaded.view,
        referralId: id,
        revision: loaded.revision,
        allowedCommands: loaded.allowedCommands,
        availableToYou: principal.kind === 'staff' ? commandsAvailableTo(principal.roles, loaded.allowedCommands) : [],
        // The short timeline says who did what and when; the why (personal) is in the history and in the state above.
        recentEvents: recent.reverse().map((event) => ({ ...toTimelineEntry(event) })),
      };
    },
  );
};
