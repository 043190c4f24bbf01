/**
 * Re-offending for a period (DOMAIN.md §5; value for money is in value-for-money.ts), from the read models; JSON, or CSV with
 * `?format=csv`. Figures are read "as of" the API clock, which decides who is still in follow-up.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reoffendingCsvColumns, reoffendingStats, reoffendingStatsRows, reoffendingWindows, toCsv } from '@hru/projections';
import { allStaff } from '../schemas/common.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { commonProblems } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

const isoDate = z.iso.date();
const windowMonths = z
  .enum(reoffendingWindows.map(String) as [string, ...string[]])
  .default('12')
  .transform(Number)
  .describe('Follow-up window after the intervention starts, in months (6, 12, 24 or 36)');

const query = z
  .object({
    from: isoDate.describe('First day of intervention starts, inclusive (YYYY-MM-DD)'),
    to: isoDate.describe('Last day, inclusive'),
    windowMonths,
    format: z.enum(['json', 'csv']).default('json').describe('`csv` for a spreadsheet-ready download'),
  })
  .refine((p) => p.from <= p.to, { message: '`from` must not be after `to`', path: ['to'] });
/** The period value-for-money.ts prices: the same cohort as re-offending's. */
export { query as periodQuery };

const rates = z.object({
  cohort: z.number().describe('Referrals whose follow-up started in the period'),
  reoffended: z.number(),
  reoffendedPct: z.number().nullable(),
  sameVictim: z.number().describe('Re-offended, first re-offence against a victim of the cohort referral'),
  sameVictimPct: z.number().nullable(),
  newVictim: z.number(),
  newVictimPct: z.number().nullable(),
  stillInFollowUp: z.number().describe('Not re-offended yet, window not ended by asOf'),
});

const member = z.object({
  referralId: z.string(),
  problemBehaviour: z.string(),
  followUpFrom: z.string(),
  followUpTo: z.string(),
  reoffended: z.boolean(),
  firstReoffenceReferralId: z.string().nullable(),
  firstReoffenceOn: z.string().nullable(),
  sameVictim: z.boolean().nullable(),
});

const reoffendingReply = z.object({
  from: z.string(),
  to: z.string(),
  windowMonths: z.number(),
  asOf: z.string(),
  afterInterventionStart: rates.extend({ byProblemBehaviour: z.array(rates.extend({ problemBehaviour: z.string() })) }),
  afterCompletedTherapeuticIntervention: rates,
  members: z.array(member),
  therapeuticMembers: z.array(member),
});

export const statsExtraRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const staffOnly = { config: { access: { staff: allStaff } } } as const;
  const asOf = () => deps.now().toISOString().slice(0, 10);

  typed.get(
    '/v1/stats/reoffending',
    {
      ...staffOnly,
      schema: {
        tags: ['statistics'],
        summary: 'Re-offending within a window after the intervention starts (and after completed therapy), same vs new victim',
        security: [{ bearer: [] }],
        querystring: query,
        response: { 200: reoffendingReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { from, to, windowMonths, format } = request.query;
      const stats = reoffendingStats(deps.readModels, { from, to, windowMonths, asOf: asOf() });
      if (format === 'csv') return sendCsv(reply, `reoffending-${from}-${to}-${windowMonths}m`, toCsv(reoffendingStatsRows(stats), reoffendingCsvColumns));
      return stats;
    },
  );
};
