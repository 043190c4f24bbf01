/**
 * GET /v1/referrals/:id/state: the referral replayed through the workflow machine to a revision or a time
 * (the time the store recorded the events: what the unit knew then), with the commands it accepted at that
 * moment; or, with from and to, what changed between two such points. Needs X-Justification; logged.
 */
import { toTimelineEntry } from '@hru/application';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '@hru/events';
import { justificationHeaders, referralIdParams } from '../schemas/common.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { logConsultation } from '../schemas/consultation.js';
import { loadReadable } from '../schemas/read-access.js';
import { diffStates } from './history-diff.js';
import { auditReaders, timelineEntrySchema } from './history-schemas.js';

const isoTime = z.iso.datetime({ offset: true });
const revisionNumber = z.coerce.number().int().min(0);
/** A point is a revision (digits) or an ISO 8601 time. */
const pointSchema = z.union([z.string().regex(/^\d{1,9}$/).transform(Number), isoTime]);
type Point = { revision: number } | { at: string };

const stateQuery = z
  .object({
    at: isoTime.optional().describe('Replay the events recorded up to this time'),
    revision: revisionNumber.optional().describe('Replay the events up to this revision'),
    from: pointSchema.optional().describe('With `to`: a revision or a time to compare from'),
    to: pointSchema.optional().describe('With `from`: a revision or a time to compare to'),
  })
  .refine((q) => [q.at !== undefined, q.revision !== undefined, q.from !== undefined || q.to !== undefined].filter(Boolean).length === 1, {
    message: 'Give exactly one of: at, revision, or from and to',
    path: ['at'],
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'from and to go together', path: ['to'] });

const asOfSchema = z.object({
  revision: z.number().int(),
  allowedCommands: z.array(z.string()).describe('Commands the referral accepted at that moment'),
  view: z.record(z.string(), z.unknown()),
});

const stateReply = z.union([
  asOfSchema.extend({ referralId: z.string(), point: z.object({ at: z.string() }).or(z.object({ revision: z.number() })) }),
  z.object({
    referralId: z.string(),
    from: asOfSchema,
    to: asOfSchema,
    changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
    events: z.array(timelineEntrySchema).describe('The events after `from` up to `to`'),
  }),
]);

function toPoint(value: number | string): Point {
  return typeof value === 'number' ? { revision: value } : { at: value };
}

export const historyStateRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const foldAt = async (id: string, point: Point) => {
    const folded = await deps.commands.foldAt(id, point);
    return { revision: folded.revision, allowedCommands: [...folded.allowedCommands], view: { ...folded.view } as Record<string, unknown> };
  };

  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/referrals/:id/state',
    {
      config: { access: { staff: auditReaders, personalData: true } },
      schema: {
        tags: ['audit'],
        summary: 'State of a referral as of a revision or time, or the changes between two (needs X-Justification; logged)',
        security: [{ bearer: [] }],
        params: referralIdParams,
        headers: justificationHeaders,
        querystring: stateQuery,
        response: { 200: stateReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const q = request.query;
      // Who may read is decided on the referral as it is now (its case team and disclosures today).
      await loadReadable(deps, request, id);
      const body = await (q.from !== undefined && q.to !== undefined
        ? compare(id, toPoint(q.from), toPoint(q.to))
        : (async () => {
            const point: Point = q.revision !== undefined ? { revision: q.revision } : { at: q.at! };
            return { referralId: id, point, ...(await foldAt(id, point)) };
          })());
      await logConsultation(deps, request, id, 'state');
      void reply.header('Cache-Control', 'no-store');
      return body;
    },
  );

  async function compare(id: string, fromPoint: Point, toPoint: Point) {
    const [from, to] = await Promise.all([foldAt(id, fromPoint), foldAt(id, toPoint)]);
    if (from.revision > to.revision) {
      throw new ValidationError('`from` is later than `to`', [{ path: '/from', message: `revision ${from.revision} is after ${to.revision}` }]);
    }
    const between = to.revision > from.revision
      ? await deps.store.readStream(id, { fromRevision: from.revision + 1, maxCount: to.revision - from.revision })
      : [];
    return { referralId: id, from, to, changes: diffStates(from.view, to.view), events: between.map((event) => toTimelineEntry(event, { withPersonal: true })) };
  }
};
