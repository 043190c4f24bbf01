/**
 * The multi-agency tasking meeting (issue #21): the list for a meeting (the top of the RFG(V) ranking, with what
 * happened since the last meeting; four-weekly by default), the meeting's decision per perpetrator, and whether
 * tasking works (re-offending and score before and after, adopted against not adopted, per quarter). The decision
 * records the score and configuration the meeting saw and does nothing on its own: an adopted perpetrator's plan is
 * agreed on their referral through the plan commands (DPA 2018 Part 3 ss49-50).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommandNotAllowedError, NotFoundError, areaSchema, isoDateSchema, problemBehaviourSchema } from '@hru/events';
import { PerpetratorCommands } from '@hru/application';
import { actorOf } from '@hru/infra';
import {
  canonicalOf,
  columnsOf,
  perpetratorCsvColumns,
  previousMeeting,
  taskingList,
  taskingOutcomes,
  toCsv,
  type TaskingOutcomeGroup,
  type TaskingRow,
} from '@hru/projections';
import { taskingDecisionPayloadSchema } from '@hru/workflows';
import { requirePrincipal } from '../plugins/access-control.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { owningForceOnly, perpetratorRanking, perpetratorReaders, taskingDeciders, taskingOutcomeReaders } from '../schemas/perpetrator-access.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { perpetratorItem } from './perpetrators.js';

/** MATAC meetings are held every four weeks (check: Northumbria's practice; forces vary). */
export const DEFAULT_TASKING_CADENCE_DAYS = 28;

const taskingQuery = z.object({
  meeting: isoDateSchema.optional().describe('The meeting date; default today'),
  previous: isoDateSchema.optional().describe('The previous meeting; default the last one with a decision recorded, else four weeks earlier'),
  behaviour: problemBehaviourSchema.optional(),
  area: areaSchema.optional().describe('Only perpetrators with a referral recorded in this policing area'),
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('Top N'),
  format: z.enum(['json', 'csv']).default('json').describe('`csv` for the meeting pack'),
});

const taskingItem = perpetratorItem.extend({
  newIncidentsSinceLastMeeting: z.number().int(),
  lastDecision: z.object({ meetingOn: z.string(), decision: z.string() }).nullable(),
  decision: z.string().nullable().describe('This meeting’s decision, once recorded'),
  openAlerts: z.number().int().describe('Urgent alerts still open on their referrals'),
});

const taskingReply = z.object({
  meetingOn: z.string(),
  previousMeetingOn: z.string(),
  asOf: z.string(),
  configVersion: z.string(),
  items: z.array(taskingItem),
});

const decisionReply = z.object({ streamId: z.string(), revision: z.number().int(), events: z.array(z.string()) });

const outcomesQuery = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    windowDays: z.coerce.number().int().min(1).max(1_095).default(365).describe('Follow-up after each meeting'),
    format: z.enum(['json', 'csv']).default('json').describe('`csv`: one row per quarter and decision'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

const outcomesReply = z.object({
  from: z.string(),
  to: z.string(),
  windowDays: z.number(),
  asOf: z.string(),
  configVersion: z.string().describe('The configuration the after-scores are computed with'),
  groups: z.array(
    z.object({
      period: z.string().describe('Quarter of the meeting date (2026-Q3)'),
      decision: z.string(),
      perpetrators: z.number().int(),
      reoffended: z.number().int(),
      reoffendedPct: z.number().nullable(),
      meanScoreBefore: z.number().nullable().describe('As the meetings saw it'),
      meanScoreAfter: z.number().nullable().describe('At the end of the window (or today), from the incidents up to then'),
      stillInFollowUp: z.number().int(),
    }),
  ),
});

const taskingCsvColumns = [
  ...perpetratorCsvColumns,
  { header: 'newIncidentsSinceLastMeeting', value: (r: TaskingRow) => r.newIncidentsSinceLastMeeting },
  { header: 'lastDecision', value: (r: TaskingRow) => (r.lastDecision ? `${r.lastDecision.decision} (${r.lastDecision.meetingOn})` : '') },
  { header: 'openAlerts', value: (r: TaskingRow) => r.openAlerts },
  { header: 'decision', value: (r: TaskingRow) => r.decision },
];

const outcomeCsvColumns = columnsOf<TaskingOutcomeGroup & Record<string, unknown>>([
  'period',
  'decision',
  'perpetrators',
  'reoffended',
  'reoffendedPct',
  'meanScoreBefore',
  'meanScoreAfter',
  'stillInFollowUp',
]);

export const taskingRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const ranking = perpetratorRanking(deps, app.log);
  const ownerOnly = owningForceOnly(deps);
  const commands = new PerpetratorCommands(deps.store);

  typed.get(
    '/v1/tasking',
    {
      preValidation: ownerOnly,
      config: { access: { staff: perpetratorReaders } },
      schema: {
        tags: ['perpetrators'],
        summary: 'The tasking list of a meeting: the top N by RFG(V) score, with what happened since the last meeting (JSON or CSV)',
        security: [{ bearer: [] }],
        querystring: taskingQuery,
        response: { 200: taskingReply, 503: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const asOf = ranking.scoreUpToDate();
      const meetingOn = q.meeting ?? asOf;
      const previousMeetingOn = q.previous ?? previousMeeting(deps.readModels, meetingOn, DEFAULT_TASKING_CADENCE_DAYS);
      const items = taskingList(deps.readModels, { meetingOn, previousMeetingOn, limit: q.limit, ...(q.behaviour ? { behaviour: q.behaviour } : {}), ...(q.area ? { area: q.area } : {}) });
      if (q.format === 'csv') return sendCsv(reply, `tasking-${meetingOn}`, toCsv(items, taskingCsvColumns));
      return { meetingOn, previousMeetingOn, asOf, configVersion: ranking.config.version, items };
    },
  );

  typed.post(
    '/v1/tasking/decisions',
    {
      preValidation: ownerOnly,
      config: { access: { staff: taskingDeciders } },
      schema: {
        tags: ['perpetrators'],
        operationId: 'record-tasking-decision',
        summary: 'Record the tasking meeting’s decision about a perpetrator: adopt, not adopt or defer, with the reason and attendees',
        description:
          'Records the score and configuration version the meeting saw (409 when the configuration has changed since: reload the list). ' +
          'It acts on nothing: agree an adopted perpetrator’s plan on their referral. One decision per perpetrator per meeting (409 on a second).',
        security: [{ bearer: [] }],
        body: taskingDecisionPayloadSchema,
        response: { 200: decisionReply, 404: problemSchema, 409: problemSchema, 503: problemSchema, ...commonProblems },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.configVersion !== ranking.config.version) {
        throw new CommandNotAllowedError(
          'record-tasking-decision',
          'rescored',
          [],
          `The score was computed with configuration ${body.configVersion}; the current one is ${ranking.config.version}: reload the tasking list`,
        );
      }
      ranking.scoreUpToDate();
      const canonical = canonicalOf(deps.readModels, body.partyId);
      if (canonical === undefined) throw new NotFoundError('Perpetrator', body.partyId);
      const result = await commands.recordTaskingDecision(
        { ...body, partyId: canonical },
        { actor: actorOf(requirePrincipal(request)), correlationId: request.correlationId, causationId: request.id, now: deps.now().toISOString() },
      );
      return { streamId: result.streamId, revision: result.revision, events: result.events.map((e) => e.type) };
    },
  );

  typed.get(
    '/v1/tasking/outcomes',
    {
      preValidation: ownerOnly,
      config: { access: { staff: taskingOutcomeReaders } },
      schema: {
        tags: ['perpetrators'],
        summary: 'Whether tasking works: re-offending and RFG score before and after, adopted against not adopted, per quarter of meetings',
        security: [{ bearer: [] }],
        querystring: outcomesQuery,
        response: { 200: outcomesReply, 503: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const asOf = ranking.scoreUpToDate();
      const groups = taskingOutcomes(deps.readModels, ranking.config, { from: q.from, to: q.to, windowDays: q.windowDays, asOf });
      if (q.format === 'csv') return sendCsv(reply, `tasking-outcomes-${q.from}-${q.to}`, toCsv(groups, outcomeCsvColumns));
      return { from: q.from, to: q.to, windowDays: q.windowDays, asOf, configVersion: ranking.config.version, groups };
    },
  );
};
