/**
 * Serial perpetrators (issue #21): the RFG(V) ranking in keyset pages (JSON or CSV), one perpetrator's page across
 * their referrals (justified and logged: it joins a person's cases), and the commands that link two party ids as
 * one person and take the link back. Party and referral ids, counts and codes only: victims are counted, not named.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError, ValidationError, areaSchema, partyIdSchema, problemBehaviourSchema } from '@hru/events';
import { PerpetratorCommands } from '@hru/application';
import { actorOf } from '@hru/infra';
import {
  decodePerpetratorCursor,
  encodePerpetratorCursor,
  listPerpetrators,
  perpetratorCsvColumns,
  perpetratorDetail,
  toCsv,
} from '@hru/projections';
import { partyLinkPayloadSchema } from '@hru/workflows';
import { requirePrincipal } from '../plugins/access-control.js';
import { justificationHeaders } from '../schemas/common.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { afterEachMidnight, owningForceOnly, perpetratorLinkers, perpetratorRanking, perpetratorReaders } from '../schemas/perpetrator-access.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

export const perpetratorItem = z.object({
  partyId: z.string().describe('The person’s canonical party id: the lowest of their linked ids'),
  linkedPartyIds: z.array(z.string()).describe('The other party ids staff linked to them as the same person'),
  score: z.number().describe('RFG(V) total: the weighted sum of the four components'),
  recency: z.number().describe('Recency points (before weight)'),
  frequency: z.number().describe('Frequency points (before weight)'),
  gravity: z.number().describe('Gravity points summed over the incidents in the window (before weight)'),
  victims: z.number().describe('Victim points (before weight)'),
  incidentsInWindow: z.number().int(),
  distinctVictims: z.number().int().describe('A count: victims are never named here'),
  referrals: z.number().int(),
  lastIncidentOn: z.string().nullable(),
  problemBehaviours: z.array(z.string()),
  areas: z.array(z.string()).describe('The policing areas their referrals were recorded in'),
});

const listQuery = z.object({
  rank: z.literal('rfg').default('rfg').describe('The ranking: RFG(V), highest first'),
  behaviour: problemBehaviourSchema.optional().describe('Only perpetrators with an incident of this problem behaviour'),
  area: areaSchema.optional().describe('Only perpetrators with a referral recorded in this policing area (`source.area` at intake)'),
  limit: z.coerce.number().int().min(1).max(1_000).default(50),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
  format: z.enum(['json', 'csv']).default('json').describe('`csv` for the meeting pack; the next page’s cursor is in `X-Next-Cursor`'),
});

const listReply = z.object({
  asOf: z
    .string()
    .describe('The day the scores are computed for: today, or the day before while a new day is scored in the background (503 while there is no ranking yet)'),
  configVersion: z.string().describe('The scoring configuration (HRU_RFG) the scores were computed with'),
  items: z.array(perpetratorItem),
  nextCursor: z.string().nullable(),
});

const contribution = z.object({
  referralId: z.string(),
  on: z.string(),
  inWindow: z.boolean(),
  gravity: z.number(),
  parts: z.object({
    behaviour: z.number(),
    indicators: z.record(z.string(), z.number()),
    offence: z.object({ code: z.string(), points: z.number() }).nullable(),
  }),
});

const detailReply = z.object({
  partyId: z.string(),
  linkedPartyIds: z.array(z.string()),
  links: z.array(z.object({ partyId: z.string(), samePersonAs: z.string(), linkedAt: z.string(), linkedBy: z.string() })),
  configVersion: z.string(),
  score: perpetratorItem.extend({ explanation: z.array(contribution).describe('Which incident contributed what') }).nullable(),
  referrals: z.array(
    z.object({
      referralId: z.string(),
      crimeOn: z.string(),
      problemBehaviour: z.string(),
      offenceCodes: z.array(z.string()),
      indicators: z.array(z.string()),
      closed: z.boolean(),
      openAlerts: z.number().int(),
      latestRisk: z.object({ assessmentId: z.string(), assessedOn: z.string().nullable(), dashYesCount: z.number().nullable() }).nullable(),
      latestFormulation: z.object({ formulationId: z.string(), stalkerType: z.string().nullable() }).nullable(),
      planAgreedOn: z.string().nullable(),
      chargedOn: z.string().nullable(),
      victims: z.array(z.string()).describe('Victims as V1, V2… within this page: the same person has the same label across referrals'),
    }),
  ),
  distinctVictims: z.number().int(),
  incidentsByMonth: z.array(z.object({ month: z.string(), problemBehaviour: z.string(), count: z.number().int() })),
  activeMeasures: z.array(
    z.object({ referralId: z.string(), deadlineId: z.string(), kind: z.string(), measureKind: z.string().nullable(), dueAt: z.string(), status: z.string() }),
  ),
  openAlerts: z.number().int(),
  outcomes: z.object({
    charged: z.number().int().describe('Referrals with Home Office outcome 1 (charged or summonsed)'),
    reoffendedAfterFirstPlan: z.boolean().nullable().describe('A crime recorded after the first management plan; null without a plan'),
  }),
  decisions: z.array(
    z.object({
      meetingOn: z.string(),
      decision: z.string(),
      score: z.number(),
      configVersion: z.string(),
      attendees: z.array(z.object({ agency: z.string(), count: z.number() })),
      decidedAt: z.string(),
      decidedBy: z.string(),
    }),
  ),
});

const linkReply = z.object({
  streamId: z.string(),
  revision: z.number().int(),
  events: z.array(z.string()),
});

export const perpetratorRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const ranking = perpetratorRanking(deps, app.log);
  const ownerOnly = owningForceOnly(deps);
  const commands = new PerpetratorCommands(deps.store);

  // Score a new day just after midnight (UTC, the day the scores are for) rather than in its first reader's request,
  // and start scoring at start-up (after a rebuild there is no ranking yet): a large scoring runs in slices
  // between turns of the event loop (RankingScorer), a small one at once.
  let stopDaily: (() => void) | undefined;
  app.addHook('onReady', async () => {
    const score = () => {
      try {
        ranking.state();
      } catch (error) {
        app.log.error({ err: error }, 'perpetrators: scoring the new day failed (the first read will try again)');
      }
    };
    score();
    stopDaily = afterEachMidnight(deps.now, score);
  });
  app.addHook('onClose', async () => stopDaily?.());

  typed.get(
    '/v1/perpetrators',
    {
      preValidation: ownerOnly,
      config: { access: { staff: perpetratorReaders } },
      schema: {
        tags: ['perpetrators'],
        summary: 'Perpetrators ranked by RFG(V) score, highest first (keyset pages; CSV for the meeting pack)',
        description:
          'Recency, frequency and gravity of each person’s incidents and the number of their victims, as configured under HRU_RFG. ' +
          'The score informs the tasking meeting; it decides nothing. Owning force staff only.',
        security: [{ bearer: [] }],
        querystring: listQuery,
        response: { 200: listReply, 503: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const after = q.cursor === undefined ? undefined : decodePerpetratorCursor(q.cursor);
      if (q.cursor !== undefined && !after) throw new ValidationError('Not a cursor of this list', [{ path: '/cursor', message: 'use nextCursor as given' }]);
      const asOf = ranking.scoreUpToDate();
      const { rows, more } = listPerpetrators(deps.readModels, { limit: q.limit, ...(q.behaviour ? { behaviour: q.behaviour } : {}), ...(q.area ? { area: q.area } : {}), ...(after ? { after } : {}) });
      const last = rows.at(-1);
      const nextCursor = more && last ? encodePerpetratorCursor(last) : null;
      if (q.format === 'csv') {
        if (nextCursor) reply.header('x-next-cursor', nextCursor);
        return sendCsv(reply, `perpetrators-${asOf}`, toCsv(rows, perpetratorCsvColumns));
      }
      return { asOf, configVersion: ranking.config.version, items: rows, nextCursor };
    },
  );

  typed.get(
    '/v1/perpetrators/:partyId',
    {
      preValidation: ownerOnly,
      config: { access: { staff: perpetratorReaders, personalData: true } },
      schema: {
        tags: ['perpetrators'],
        summary: 'One perpetrator across their referrals: incidents, victims (counted), risk, measures, alerts, outcomes, tasking decisions',
        description: 'By any of their party ids. Justified (X-Justification) and written to the access log of each of their referrals.',
        security: [{ bearer: [] }],
        params: z.object({ partyId: partyIdSchema }),
        headers: justificationHeaders,
        response: { 200: detailReply, 404: problemSchema, 503: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const asOf = ranking.scoreUpToDate();
      const detail = perpetratorDetail(deps.readModels, request.params.partyId, ranking.config, asOf);
      if (!detail) throw new NotFoundError('Perpetrator', request.params.partyId);
      // Logged before the page leaves, once per referral, so each case's access log shows that it was read.
      for (const r of detail.referrals) {
        await deps.accessLog.record({
          referralId: r.referralId,
          partyId: detail.partyId,
          resource: 'perpetrator',
          justification: request.headers['x-justification'],
          actor: actorOf(requirePrincipal(request)),
          correlationId: request.correlationId,
          requestId: request.id,
          clientRequestId: request.clientRequestId,
          at: deps.now(),
        });
      }
      void reply.header('Cache-Control', 'no-store');
      return { ...detail, configVersion: ranking.config.version };
    },
  );

  for (const [name, summary] of [
    ['link', 'Record that two suspect party ids are one person (reversible; who, why and when are recorded)'],
    ['unlink', 'Take back a link between two party ids: they count as two people again'],
  ] as const) {
    typed.post(
      `/v1/perpetrators/commands/${name}-parties`,
      {
        preValidation: ownerOnly,
      config: { access: { staff: perpetratorLinkers } },
        schema: {
          tags: ['perpetrators'],
          operationId: `perpetrator-${name}-parties`,
          summary,
          description: `${summary}. Roles: ${perpetratorLinkers.join(', ')} of the owning force. 409 when the pair is ${name === 'link' ? 'already' : 'not'} linked.`,
          security: [{ bearer: [] }],
          body: partyLinkPayloadSchema,
          response: { 200: linkReply, 409: problemSchema, ...commonProblems },
        },
      },
      async (request) => {
          const context = { actor: actorOf(requirePrincipal(request)), correlationId: request.correlationId, causationId: request.id, now: deps.now().toISOString() };
        const result = name === 'link' ? await commands.link(request.body, context) : await commands.unlink(request.body, context);
        return { streamId: result.streamId, revision: result.revision, events: result.events.map((e) => e.type) };
      },
    );
  }
};
