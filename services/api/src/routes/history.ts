/**
 * GET /v1/referrals/:id/history: every event of a referral in order, with who, when, why and the request
 * ids; paged by revision; JSON or CSV. Personal data (staff identities, reasons): needs X-Justification,
 * and the read is logged before the data leaves.
 */
import { toTimelineEntry } from '@hru/application';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { justificationHeaders, referralIdParams } from '../schemas/common.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { logConsultation } from '../schemas/consultation.js';
import { loadReadable } from '../schemas/read-access.js';
import { historyCsv } from './history-csv.js';
import { auditReaders, timelineEntrySchema } from './history-schemas.js';

const MAX_PAGE = 5_000;

const historyQuery = z.object({
  fromRevision: z.coerce.number().int().min(0).default(0).describe('First revision of the page'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(500),
  format: z.enum(['json', 'csv']).default('json'),
});

const historyReply = z.object({
  referralId: z.string(),
  /** The stream's current revision: the last page ends there. */
  headRevision: z.number().int(),
  events: z.array(timelineEntrySchema),
  nextFromRevision: z.number().int().nullable().describe('fromRevision of the next page; null on the last page'),
});

export const historyRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/referrals/:id/history',
    {
      config: { access: { staff: auditReaders, personalData: true } },
      schema: {
        tags: ['audit'],
        summary: 'Every event of a referral with actor, time, reason and ids (needs X-Justification; the read is logged)',
        description: `Paged by revision (at most ${MAX_PAGE} events a page). format=csv gives the same page as text/csv, with the next page in the X-Next-From-Revision header.`,
        security: [{ bearer: [] }],
        params: referralIdParams,
        headers: justificationHeaders,
        querystring: historyQuery,
        response: { 200: historyReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { fromRevision, limit, format } = request.query;
      await loadReadable(deps, request, id);
      const headRevision = (await deps.store.streamRevision(id)) ?? -1;
      const page = await deps.store.readStream(id, { fromRevision, maxCount: limit });
      await logConsultation(deps, request, id, 'history');
      // The justified history includes each event's personal section: the why of each event lives there.
      const events = page.map((event) => toTimelineEntry(event, { withPersonal: true }));
      const last = events.at(-1)?.revision;
      const nextFromRevision = last !== undefined && last < headRevision ? last + 1 : null;
      void reply.header('Cache-Control', 'no-store');
      if (format === 'csv') {
        if (nextFromRevision !== null) void reply.header('X-Next-From-Revision', String(nextFromRevision));
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${id}-history-${fromRevision}.csv"`)
          .serializer((payload: string) => payload)
          // The route's response schema types the JSON reply; this reply is text, serialised as is.
          .send(historyCsv(events) as unknown as z.infer<typeof historyReply>);
      }
      return { referralId: id, headRevision, events, nextFromRevision };
    },
  );
};
