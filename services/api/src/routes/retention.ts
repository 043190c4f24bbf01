/**
 * GET /v1/retention/due: the retention queue (MoPI), closed cases whose review falls due on or before a day, with
 * the configured table (HRU_RETENTION_TABLE). Ids, groups and dates only, so no justification is asked. The data
 * protection officer reviews (`review-retention`); supervisors see the queue too, to bring what they know of the
 * risk to a review. Partner agency staff see only the cases they may read, as in the caseload.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { columnsOf, retentionDue, toCsv, type RetentionDue } from '@hru/projections';
import { defaultRetentionTable, retentionRuleOf } from '@hru/workflows';
import { requirePrincipal } from '../plugins/access-control.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { commonProblems } from '../schemas/problem.js';
import { mayRead, ofOwningForce } from '../schemas/read-access.js';
import type { ApiDeps } from '../deps.js';

const query = z.object({
  on: z.iso.date().optional().describe('Due on or before this day (YYYY-MM-DD); default today'),
  limit: z.coerce.number().int().min(1).max(5_000).default(1_000),
  format: z.enum(['json', 'csv']).default('json').describe('`csv` for a spreadsheet-ready download'),
});

const item = z.object({
  referralId: z.string(),
  mopiGroup: z.union([z.literal(1), z.literal(2), z.literal(3)]).describe('1 public protection, 2 sexual/violent/serious, 3 other'),
  reviewDue: z.string().describe('The date a retain set, else the closure plus the group’s review period'),
  closedOn: z.string().describe('The last closure: the clear period runs from it'),
  lastDecision: z.literal('retain').nullable(),
  lastReviewedOn: z.string().nullable(),
});

const csvColumns = columnsOf<RetentionDue & Record<string, unknown>>(['referralId', 'mopiGroup', 'reviewDue', 'closedOn', 'lastDecision', 'lastReviewedOn']);

export const retentionRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const rule = retentionRuleOf(deps.config.retentionTable ?? defaultRetentionTable);

  typed.get(
    '/v1/retention/due',
    {
      config: { access: { staff: ['data_protection', 'supervisor'] } },
      schema: {
        tags: ['read models'],
        summary: 'Closed cases due for their MoPI retention review by a date, longest overdue first (no personal data)',
        security: [{ bearer: [] }],
        querystring: query,
        response: { 200: z.object({ on: z.string(), items: z.array(item) }), ...commonProblems },
      },
    },
    async (request, reply) => {
      const on = request.query.on ?? deps.now().toISOString().slice(0, 10);
      const principal = requirePrincipal(request);
      let items = retentionDue(deps.readModels, rule, on, request.query.limit);
      if (!ofOwningForce(deps, principal)) {
        const allowed = await Promise.all(
          items.map(async (row) => {
            const loaded = await deps.commands.load(row.referralId);
            return loaded !== undefined && mayRead(deps, principal, loaded.view);
          }),
        );
        items = items.filter((_, i) => allowed[i]);
      }
      if (request.query.format === 'csv') return sendCsv(reply, `retention-due-${on}`, toCsv(items, csvColumns));
      return { on, items };
    },
  );
};
