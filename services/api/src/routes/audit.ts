/**
 * The auditor's routes: the s62 access log by period, referral and actor; and the integrity check of every
 * hash chain in the event store, optionally against a digest the auditor recorded earlier (an anchor).
 */
import { queryAccessLog } from '@hru/application';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HruError } from '@hru/events';
import { canVerifyChains } from '@hru/infra';
import { referralIdParams } from '../schemas/common.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

const DAY_MS = 86_400_000;
const isoTime = z.iso.datetime({ offset: true });

const accessLogQuery = z.object({
  from: isoTime.optional().describe('Start of the period (default: 30 days before `to`)'),
  to: isoTime.optional().describe('End of the period (default: now)'),
  referralId: referralIdParams.shape.id.optional(),
  actor: z.string().min(1).max(200).optional().describe("The actor's sub (staff) or system name"),
  limit: z.coerce.number().int().min(1).max(5_000).default(500),
  cursor: z.string().max(100).optional().describe('nextCursor of the previous page'),
});

const accessLogReply = z.object({
  from: z.string(),
  to: z.string(),
  entries: z.array(
    z.object({
      at: z.string(),
      referralId: z.string(),
      resource: z.string(),
      kind: z.enum(['consultation', 'disclosure']),
      justification: z.string(),
      recipients: z.array(z.string()),
      gateway: z.string().nullable().describe('The legal gateway of a disclosure'),
      actor: z.object({ kind: z.string(), sub: z.string(), name: z.string(), roles: z.array(z.string()), agency: z.string() }),
      requestId: z.string().describe('The id the server gave the request'),
      clientRequestId: z.string().nullable().describe("The caller's X-Request-Id, if it sent one"),
      correlationId: z.string(),
      stream: z.string(),
      revision: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const verifyQuery = z
  .object({
    anchorPosition: z.string().regex(/^\d{1,18}$/).optional().describe('headPosition of an earlier verification'),
    anchorDigest: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('headDigest of that verification'),
  })
  .refine((q) => (q.anchorPosition === undefined) === (q.anchorDigest === undefined), {
    message: 'anchorPosition and anchorDigest go together',
    path: ['anchorDigest'],
  });

const chainBreak = z.object({
  kind: z.string(),
  streamId: z.string(),
  revision: z.number().int().nullable(),
  position: z.string().nullable(),
  expected: z.string(),
  found: z.string(),
});

const verifyReply = z.object({
  ok: z.boolean(),
  store: z.string(),
  streams: z.number().int(),
  events: z.number().int(),
  headPosition: z.string(),
  headDigest: z.string().describe('Record this with headPosition outside the system; pass both back as the anchor later'),
  anchor: z.object({ position: z.string(), expected: z.string(), found: z.string().nullable(), matched: z.boolean() }).optional(),
  breaks: z.array(chainBreak),
  brokenStreams: z.number().int(),
  firstBreak: chainBreak.nullable(),
  unchained: z
    .object({ events: z.number().int(), streams: z.number().int() })
    .optional()
    .describe('Events written before the chain existed (KurrentDB): present, but not tamper-evident'),
  durationMs: z.number(),
});

export const auditRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/audit/access-log',
    {
      config: { access: { staff: ['auditor'] } },
      schema: {
        tags: ['audit'],
        summary: 'Access log (DPA 2018 s62): reads and disclosures of personal data, by period, referral and actor',
        security: [{ bearer: [] }],
        querystring: accessLogQuery,
        response: { 200: accessLogReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const to = q.to ? new Date(q.to) : deps.now();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
      const page = await queryAccessLog(deps.store, { from, to, referralId: q.referralId, actor: q.actor, limit: q.limit, cursor: q.cursor });
      void reply.header('Cache-Control', 'no-store');
      return { from: from.toISOString(), to: to.toISOString(), ...page };
    },
  );

  routes.get(
    '/v1/audit/verify',
    {
      config: { access: { staff: ['auditor'] } },
      schema: {
        tags: ['audit'],
        summary: 'Checks the hash chain of every stream (and the access log); reports the first broken link of each',
        security: [{ bearer: [] }],
        querystring: verifyQuery,
        response: { 200: verifyReply, 503: problemSchema, ...commonProblems },
      },
    },
    async (request) => {
      if (!canVerifyChains(deps.store)) {
        throw new HruError('unavailable', `This event store (${deps.store.kind}) cannot verify hash chains`);
      }
      const { anchorPosition, anchorDigest } = request.query;
      const report = await deps.store.verifyChains(
        anchorPosition !== undefined && anchorDigest !== undefined ? { anchor: { position: BigInt(anchorPosition), digest: anchorDigest } } : {},
      );
      if (!report.ok) request.log.warn({ brokenStreams: report.brokenStreams, firstBreak: report.firstBreak?.kind }, 'hash chain verification failed');
      return report;
    },
  );
};
