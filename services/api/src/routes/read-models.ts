/** Stage queues and the unit's statistics (the caseload: caseload.ts), from the read models; JSON, or CSV with `?format=csv`. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError, problemBehaviourSchema } from '@hru/events';
import {
  countByStage,
  headlineCsvColumns,
  headlineStats,
  headlineStatsRows,
  listQueue,
  outcomeCsvColumns,
  outcomeStats,
  outcomeStatsRows,
  queueCsvColumns,
  queueNames,
  toCsv,
  type QueueCursor,
} from '@hru/projections';
import { allStaff } from '../schemas/common.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { commonProblems } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import type { FastifyRequest } from 'fastify';
import { requirePrincipal } from '../plugins/access-control.js';
import { mayRead, ofOwningForce } from '../schemas/read-access.js';
import { caseContextShape } from '../schemas/case-context.js';

/**
 * The rows the caller may see: all of them for the owning force's staff (and admins: these lists carry no
 * personal data); for partner agency staff, only the referrals they may read, each checked on its folded state.
 */
async function visibleRows<R extends { referralId: string }>(deps: ApiDeps, request: FastifyRequest, rows: readonly R[]): Promise<R[]> {
  const principal = requirePrincipal(request);
  if (ofOwningForce(deps, principal)) return [...rows];
  const allowed = await Promise.all(
    rows.map(async (row) => {
      const loaded = await deps.commands.load(row.referralId);
      return loaded !== undefined && mayRead(deps, principal, loaded.view);
    }),
  );
  return rows.filter((_, i) => allowed[i]);
}

const format = z.enum(['json', 'csv']).default('json').describe('`csv` for a spreadsheet-ready download');
const isoDate = z.iso.date();
const period = z
  .object({ from: isoDate.describe('First day, inclusive (YYYY-MM-DD)'), to: isoDate.describe('Last day, inclusive'), format })
  .refine((p) => p.from <= p.to, { message: '`from` must not be after `to`', path: ['to'] });

const queueQuery = z.object({
  problemBehaviour: problemBehaviourSchema.optional(),
  owner: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200).describe('Rows a page holds (JSON; the CSV holds the whole queue)'),
  cursor: z.string().max(300).optional().describe('`nextCursor` of the previous page'),
  format,
});

/** A queue page's cursor: its last row's place in the queue's order, base64url JSON. */
const encodeQueueCursor = (row: { urgent: boolean; waitingSince: string; referralId: string }) =>
  Buffer.from(JSON.stringify([row.urgent, row.waitingSince, row.referralId])).toString('base64url');
function decodeQueueCursor(cursor: string): QueueCursor {
  try {
    const [urgent, waitingSince, referralId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof urgent === 'boolean' && typeof waitingSince === 'string' && typeof referralId === 'string') return { urgent, waitingSince, referralId };
  } catch {
    // falls through to the refusal
  }
  throw new ValidationError('Not a cursor of this queue', [{ path: '/cursor', message: 'use nextCursor as given' }]);
}

const queueItem = z.object({
  referralId: z.string(),
  problemBehaviour: z.string(),
  ownerSub: z.string().nullable(),
  urgent: z.boolean(),
  waitingSince: z.string().describe('Stage entry, or the review due date'),
  daysWaiting: z.number().int(),
  targetDays: z.number(),
  overTarget: z.boolean(),
  ...caseContextShape,
});

const queueCounts = z
  .object(Object.fromEntries(queueNames.map((name) => [name, z.number().int()])) as Record<(typeof queueNames)[number], z.ZodNumber>)
  .describe('How many cases wait in each queue (for its tab), counted over the cases the caller may see, without the filters');

const clockCompliance = (what: string) =>
  z
    .object({
      due: z.number().describe(`${what} falling due in the period (on their Europe/London date); cancelled ones left out`),
      metInTime: z.number(),
      metLate: z.number(),
      missed: z.number().describe('Reported missed: met late since, or still unmet'),
      pending: z.number().describe('Still open: not yet due, or not yet reported missed'),
      ratePct: z.number().nullable().describe('`metInTime` as a % of the decided ones (`due` − `pending`); null when none is'),
    })
    .describe(`${what}: met in time out of due`);

const headlineReply = z.object({
  from: z.string(),
  to: z.string(),
  victimEngagement: z.object({ offered: z.number(), engaged: z.number(), ratePct: z.number().nullable() }),
  victimsReceivingDirectAdvocateSupport: z.number(),
  crimesGivenTacticalOrInvestigativeReview: z.number(),
  spoAdvised: z.number().describe('SPOs advised in the period (lifecycle steps and legacy interventions); the same as `spo.advised`'),
  spoApplicationsMadeOrSupported: z.number().describe('The same as `spo.applied`'),
  mappaCasesSupported: z.number().describe('Cases open in the period with a MAPPA referral accepted (or legacy MAPPA support) by its end'),
  daDisclosuresToProbation: z.number(),
  directCaseInterventionsByConstables: z.number(),
  casesOpenToHealthProfessionals: z.number(),
  therapeuticInterventionsForPerpetrators: z.number(),
  activeCaseload: z.object({ total: z.number(), byProblemBehaviour: z.record(z.string(), z.number()) }),
  victimsCodeCompliance: clockCompliance('Victims’ Code contacts'),
  spoNotificationCompliance: clockCompliance('SPO notifications by the subject (3 days from service)'),
  spo: z
    .object({ advised: z.number(), applied: z.number(), granted: z.number(), breached: z.number().describe('Breaches dated in the period') })
    .describe('Stalking Protection Order steps in the period, from the lifecycles and the legacy spo_* interventions'),
  dvpo: z
    .object({
      notices: z.number().describe('DVPNs issued in the period'),
      ordersGranted: z.number().describe('Of those notices, how many led to a DVPO granted'),
      conversionPct: z.number().nullable().describe('`ordersGranted` as a % of `notices`'),
      breached: z.number().describe('DVPO breaches dated in the period'),
    })
    .describe('DVPN to DVPO conversion'),
  bail: z
    .object({
      granted: z.number(),
      extensions: z.object({ inspector: z.number(), superintendent: z.number(), court: z.number() }).describe('Extensions in the period by authority'),
    })
    .describe('Pre-charge bail granted and extended in the period'),
});

const rates = z.object({
  crimes: z.number().describe('Crimes with an outcome in the period'),
  chargedOrSummonsed: z.number(),
  cautioned: z.number(),
  victimWithdrawal: z.number(),
  chargedPct: z.number().nullable(),
  cautionedPct: z.number().nullable(),
  victimWithdrawalPct: z.number().nullable(),
});

const outcomesReply = z.object({
  from: z.string(),
  to: z.string(),
  overall: rates,
  byProblemBehaviour: z.array(rates.extend({ problemBehaviour: z.string() })),
  comparator: z
    .object({ label: z.string(), chargedPct: z.number(), cautionedPct: z.number(), victimWithdrawalPct: z.number().optional() })
    .nullable(),
});

export const readModelRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const staffOnly = { config: { access: { staff: allStaff } } } as const;

  typed.get(
    '/v1/queues/:stage',
    {
      ...staffOnly,
      schema: {
        tags: ['read models'],
        summary: 'A stage queue, oldest first (urgent on top), each row with its age against the stage target',
        security: [{ bearer: [] }],
        params: z.object({ stage: z.enum(queueNames) }),
        querystring: queueQuery,
        response: {
          200: z.object({
            stage: z.string(),
            items: z.array(queueItem),
            nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
            counts: queueCounts,
          }),
          ...commonProblems,
        },
      },
    },
    async (request, reply) => {
      const { problemBehaviour, owner, limit, cursor } = request.query;
      const now = deps.now();
      const csv = request.query.format === 'csv';
      const after = cursor === undefined ? undefined : decodeQueueCursor(cursor);
      // One row more than the page, to know whether another page follows.
      const rows = listQueue(deps.readModels, request.params.stage, { now, problemBehaviour, owner, ...(csv ? {} : { after, limit: limit + 1 }) });
      const more = !csv && rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      // A partner agency's page may hold fewer rows than `limit`: the cases it may not read are left out of it.
      const items = await visibleRows(deps, request, page);
      if (csv) return sendCsv(reply, `queue-${request.params.stage}`, toCsv(items, queueCsvColumns));
      // The owning force counts in SQL; a partner agency counts only the cases it may read.
      const counts = ofOwningForce(deps, requirePrincipal(request))
        ? countByStage(deps.readModels, now.toISOString().slice(0, 10))
        : Object.fromEntries(
            await Promise.all(queueNames.map(async (name) => [name, (await visibleRows(deps, request, listQueue(deps.readModels, name, { now }))).length] as const)),
          );
      const nextCursor = more ? encodeQueueCursor(page.at(-1)!) : null;
      return { stage: request.params.stage, items, nextCursor, counts: counts as Record<(typeof queueNames)[number], number> };
    },
  );

  typed.get(
    '/v1/stats/headline',
    {
      ...staffOnly,
      schema: {
        tags: ['statistics'],
        summary: 'The unit’s headline statistics for a period, each reproducible from events (definitions in the README)',
        security: [{ bearer: [] }],
        querystring: period,
        response: { 200: headlineReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const stats = headlineStats(deps.readModels, request.query);
      if (request.query.format === 'csv') return sendCsv(reply, `headline-${request.query.from}-${request.query.to}`, toCsv(headlineStatsRows(stats), headlineCsvColumns));
      return stats;
    },
  );

  typed.get(
    '/v1/stats/outcomes',
    {
      ...staffOnly,
      schema: {
        tags: ['statistics'],
        summary: 'Crime outcomes in a period: % charged/summonsed, % cautioned, % victim withdrawal, overall and per problem behaviour',
        security: [{ bearer: [] }],
        querystring: period,
        response: { 200: outcomesReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const stats = outcomeStats(deps.readModels, request.query, deps.outcomeComparator);
      if (request.query.format === 'csv') return sendCsv(reply, `outcomes-${request.query.from}-${request.query.to}`, toCsv(outcomeStatsRows(stats), outcomeCsvColumns));
      return stats;
    },
  );
};
