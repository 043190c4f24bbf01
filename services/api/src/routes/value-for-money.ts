/**
 * Value for money (DOMAIN.md §5): the cohort's for a period, with a best and a worst case per perspective, and the
 * case study of one referral in the seed's table shape. JSON, or CSV with `?format=csv`, every figure a line with
 * its source. The case study carries no personal data (the reasons stay in the referral's justified reads).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseStudy, cohortScenarios, toCsv, valueForMoney, valueForMoneyCsvColumns } from '@hru/projections';
import type { Role } from '@hru/events';
import { allStaff, referralIdParams } from '../schemas/common.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import { loadReadable } from '../schemas/read-access.js';
import type { ApiDeps } from '../deps.js';
import { periodQuery } from './stats-extra.js';

/** Who reads a case study: those who report the unit's value and those who check it. */
export const caseStudyReaders: readonly Role[] = ['supervisor', 'officer', 'auditor'];

const line = z.object({ item: z.string(), value: z.number().nullable(), unit: z.string(), source: z.string() });
const perspective = z.enum(['state', 'victim', 'society']);
const ratio = z.object({
  of: z.union([perspective, z.literal('total')]).describe('A perspective’s total, or the whole scenario'),
  costsAvoided: z.number().describe('The figure the ratio divides'),
  costOfIntervention: z.number().describe('The figure it divides by'),
  ratio: z.number().nullable(),
});

const cohortScenario = z.object({
  scenario: z.enum(['best_case', 'worst_case']),
  baselineReoffendingPct: z.number(),
  costsAvoided: z.array(z.object({ perspective, value: z.number() })),
  total: z.number(),
  ratios: z.array(ratio),
  lines: z.array(line),
});

const valueForMoneyReply = z.object({
  from: z.string(),
  to: z.string(),
  windowMonths: z.number(),
  asOf: z.string(),
  currency: z.string(),
  lines: z.array(line),
  costOfIntervention: z.number(),
  costsAvoided: z.number(),
  benefitCostRatio: z.number().nullable(),
  stillInFollowUp: z.number(),
  scenarios: z.array(cohortScenario).describe('Per perspective, with the baseline rate and the harm mix at the best and the worst end'),
});

const caseStudyReply = z.object({
  referralId: z.string(),
  currency: z.string(),
  reportingYear: z.string().describe('The financial year whose prices every cost is in'),
  costOfIntervention: z.number().describe('This referral’s logged staff time, priced per agency'),
  scenarios: z.array(
    z.object({
      scenario: z.enum(['best_case', 'worst_case', 'expected']),
      rows: z.array(
        z.object({
          harmId: z.string(),
          harm: z.string(),
          perspective,
          probability: z.number(),
          value: z.number(),
          recordedBy: z.string(),
          recordedAt: z.string(),
        }),
      ),
      totals: z.array(z.object({ perspective, value: z.number() })),
      total: z.number(),
      ratios: z.array(ratio),
    }),
  ),
  lines: z.array(line),
});

const formatQuery = z.object({ format: z.enum(['json', 'csv']).default('json').describe('`csv` for a spreadsheet-ready download') });

export const valueForMoneyRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const asOf = () => deps.now().toISOString().slice(0, 10);

  typed.get(
    '/v1/stats/value-for-money',
    {
      config: { access: { staff: allStaff } },
      schema: {
        tags: ['statistics'],
        summary: 'Costs avoided against the cost of the intervention, as lines with their sources, and the ratio; per perspective in a best and a worst case',
        security: [{ bearer: [] }],
        querystring: periodQuery,
        response: { 200: valueForMoneyReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { from, to, windowMonths, format } = request.query;
      const q = { from, to, windowMonths, asOf: asOf() };
      const vfm = valueForMoney(deps.readModels, q, deps.unitCosts);
      const scenarios = cohortScenarios(deps.readModels, q, deps.unitCosts, vfm.costOfIntervention);
      if (format === 'csv') {
        const lines = [...vfm.lines, ...scenarios.flatMap((s) => s.lines)];
        return sendCsv(reply, `value-for-money-${from}-${to}-${windowMonths}m`, toCsv(lines, valueForMoneyCsvColumns));
      }
      return { ...vfm, scenarios };
    },
  );

  typed.get(
    '/v1/referrals/:id/value-for-money',
    {
      config: { access: { staff: caseStudyReaders } },
      schema: {
        tags: ['statistics'],
        summary: 'The case study of one referral: the harms recorded as prevented, priced per perspective against its logged cost',
        security: [{ bearer: [] }],
        params: referralIdParams,
        querystring: formatQuery,
        response: { 200: caseStudyReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { view } = await loadReadable(deps, request, id);
      // The reasons are personal data: the case study is priced from everything else.
      const harms = view.counterfactualHarms.map(({ reason: _reason, ...harm }) => harm);
      const study = caseStudy({ referralId: id, harms, staffMinutesByAgency: view.timeLogged.byAgency }, deps.unitCosts);
      if (request.query.format === 'csv') return sendCsv(reply, `value-for-money-${id}`, toCsv(study.lines, valueForMoneyCsvColumns));
      return study;
    },
  );
};
