/**
 * Re-offending for a period (DOMAIN.md §5; value for money is in value-for-money.ts), and the manager's trend by
 * month with today's queue breaches, from the read models; JSON, or CSV with `?format=csv`. Figures are read "as
 * of" the API clock, which decides who is still in follow-up and which queue rows are over their target.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  MAX_TREND_MONTHS,
  listQueue,
  monthlyTrend,
  monthsOf,
  queueNames,
  reoffendingCsvColumns,
  reoffendingRates,
  reoffendingReport,
  reoffendingStatsRows,
  reoffendingWindows,
  toCsv,
  trendCsvColumns,
} from '@hru/projections';
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

const periodFields = {
  from: isoDate.describe('First day of intervention starts, inclusive (YYYY-MM-DD)'),
  to: isoDate.describe('Last day, inclusive'),
  windowMonths,
  format: z.enum(['json', 'csv']).default('json').describe('`csv` for a spreadsheet-ready download'),
};
const fromNotAfterTo = (p: { from: string; to: string }) => p.from <= p.to;
const fromNotAfterToError = { message: '`from` must not be after `to`', path: ['to'] };
const query = z.object(periodFields).refine(fromNotAfterTo, fromNotAfterToError);

const referralCursor = z.string().regex(/^ref-[0-9a-f]{32}$/);
/** The cohorts' member lists are paged (a year of a national service is a million members); the rates count them all. */
const reoffendingQuery = z
  .object({
    ...periodFields,
    membersLimit: z.coerce.number().int().min(0).max(5_000).default(100).describe('Members of each cohort a page lists (by referral id); 0 for the rates alone'),
    membersAfter: referralCursor.optional().describe('`membersNextCursor` of the previous page'),
    therapeuticMembersAfter: referralCursor.optional().describe('`therapeuticMembersNextCursor` of the previous page'),
  })
  .refine(fromNotAfterTo, fromNotAfterToError);

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
  members: z.array(member).describe('A page of the intervention-start cohort, by referral id (`membersLimit`)'),
  membersNextCursor: z.string().nullable().describe('Pass as `membersAfter` for the next page; null on the last'),
  therapeuticMembers: z.array(member).describe('A page of the completed-therapy cohort, by referral id'),
  therapeuticMembersNextCursor: z.string().nullable().describe('Pass as `therapeuticMembersAfter` for the next page'),
});

const trendQuery = z
  .object({
    from: isoDate.describe('First day, inclusive (YYYY-MM-DD)'),
    to: isoDate.describe('Last day, inclusive'),
    by: z.enum(['month']).default('month').describe('The step of the trend: calendar months (the first and last cut to the period)'),
    format: z.enum(['json', 'csv']).default('json').describe('`csv`: one row per month'),
  })
  .refine((p) => p.from <= p.to, { message: '`from` must not be after `to`', path: ['to'] })
  .refine((p) => p.from > p.to || monthsOf(p).length <= MAX_TREND_MONTHS, { message: `at most ${MAX_TREND_MONTHS} months`, path: ['from'] });

const counts = {
  referralsReceived: z.number().describe('Referrals first received (a reopening is not a new referral)'),
  closed: z.number().describe('Case closures dated in the month'),
  alertsRaised: z.number().describe('Urgent alerts raised'),
  alertsAcknowledgedInTime: z.number().describe('Of those, acknowledged before their first escalation fell due'),
  alertsAcknowledgedLate: z.number().describe('Of those, acknowledged only after an escalation'),
};

const trendReply = z.object({
  from: z.string(),
  to: z.string(),
  by: z.literal('month'),
  asOf: z.string().describe('The instant the queue breaches were counted at'),
  months: z.array(z.object({ month: z.string(), from: z.string(), to: z.string(), openAtEnd: z.number().describe('Cases open at the end of the month'), ...counts })),
  totals: z.object(counts),
  queueBreaches: z
    .object({ total: z.number(), byQueue: z.record(z.string(), z.number()) })
    .describe('Referrals waiting longer than their stage target now (a snapshot, not a figure of the period)'),
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
        querystring: reoffendingQuery,
        response: { 200: reoffendingReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { from, to, windowMonths, format, membersLimit, membersAfter, therapeuticMembersAfter } = request.query;
      const q = { from, to, windowMonths, asOf: asOf() };
      // The rates are sums over counts kept by day; the members come a page at a time, by referral id.
      if (format === 'csv') return sendCsv(reply, `reoffending-${from}-${to}-${windowMonths}m`, toCsv(reoffendingStatsRows(reoffendingRates(deps.readModels, q)), reoffendingCsvColumns));
      const report = reoffendingReport(deps.readModels, q, { limit: membersLimit, membersAfter, therapeuticMembersAfter });
      return {
        ...report,
        members: report.members.members,
        membersNextCursor: report.members.next,
        therapeuticMembers: report.therapeuticMembers.members,
        therapeuticMembersNextCursor: report.therapeuticMembers.next,
      };
    },
  );

  typed.get(
    '/v1/stats/trend',
    {
      ...staffOnly,
      schema: {
        tags: ['statistics'],
        summary: "The manager's trend by month (referrals received, open caseload, closures, alerts acknowledged in time) and today's queue breaches",
        security: [{ bearer: [] }],
        querystring: trendQuery,
        response: { 200: trendReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { from, to, format } = request.query;
      const trend = monthlyTrend(deps.readModels, { from, to });
      if (format === 'csv') return sendCsv(reply, `trend-${from}-${to}`, toCsv(trend.months, trendCsvColumns));
      const now = deps.now();
      const byQueue = Object.fromEntries(queueNames.map((q) => [q, listQueue(deps.readModels, q, { now }).filter((row) => row.overTarget).length]));
      return { ...trend, asOf: now.toISOString(), queueBreaches: { total: Object.values(byQueue).reduce((t, n) => t + n, 0), byQueue } };
    },
  );
};
