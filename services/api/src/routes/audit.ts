/**
 * The auditor's routes: the s62 access log by period, referral and actor; the integrity check of every
 * hash chain in the event store, optionally against a digest recorded earlier (an anchor); and what the
 * engine's integrity monitor has found (the breaks recorded as IntegrityBreakDetected events).
 */
import { queryAccessLog } from '@hru/application';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HruError, INTEGRITY_STREAM } from '@hru/events';
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
      kind: z.enum(['consultation', 'disclosure', 'erasure']),
      partyId: z.string().nullable().describe('The person concerned, for an export or an erasure'),
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
  keyId: z.string().describe('Fingerprint of the chain key checked with (not the key)'),
  headPosition: z.string(),
  headEvents: z.number().int(),
  headDigest: z.string().describe('The engine anchors this with headPosition outside the system (HRU_ANCHOR_SINK); pass both back as the anchor later'),
  anchor: z.object({ position: z.string(), expected: z.string(), found: z.string().nullable(), matched: z.boolean() }).optional(),
  breaks: z.array(chainBreak),
  brokenStreams: z.number().int(),
  firstBreak: chainBreak.nullable(),
  unchained: z
    .object({ events: z.number().int(), streams: z.number().int() })
    .optional()
    .describe('Events written before the chain existed (KurrentDB): present, but not tamper-evident'),
  unkeyed: z
    .object({ events: z.number().int(), upToPosition: z.string().nullable() })
    .optional()
    .describe('Events chained before the chains were keyed (SQLite: covered by a keyed checkpoint)'),
  durationMs: z.number(),
});

const integrityReply = z.object({
  monitored: z.boolean().describe('Whether this process runs the integrity monitor'),
  ok: z.boolean(),
  checkedAt: z.string().nullable(),
  verifiedPosition: z.string().nullable(),
  lastAnchor: z.object({ position: z.string(), digest: z.string(), at: z.string() }).nullable(),
  lastError: z.string().nullable(),
  breaks: z.array(chainBreak).describe('Breaks this monitor has found and keeps reporting until investigated'),
  recorded: z
    .array(chainBreak.extend({ eventId: z.string(), detectedAt: z.string() }))
    .describe('Every IntegrityBreakDetected event in the log (from any process), oldest first'),
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
      if (!canVerifyChains(deps.logStore)) {
        throw new HruError('unavailable', `This event store (${deps.logStore.kind}) cannot verify hash chains`);
      }
      const { anchorPosition, anchorDigest } = request.query;
      const report = await deps.logStore.verifyChains(
        anchorPosition !== undefined && anchorDigest !== undefined ? { anchor: { position: BigInt(anchorPosition), digest: anchorDigest } } : {},
      );
      if (!report.ok) request.log.warn({ brokenStreams: report.brokenStreams, firstBreak: report.firstBreak?.kind }, 'hash chain verification failed');
      return report;
    },
  );

  routes.get(
    '/v1/audit/integrity',
    {
      config: { access: { staff: ['auditor'] } },
      schema: {
        tags: ['audit'],
        summary: "The integrity monitor's findings: its last check and anchor, and every break recorded in the log",
        security: [{ bearer: [] }],
        response: { 200: integrityReply, ...commonProblems },
      },
    },
    async (_request, reply) => {
      const status = deps.integrity?.status();
      const recorded = (await deps.store.readStream(INTEGRITY_STREAM)).map((e) => {
        const b = e.data as z.infer<typeof chainBreak>;
        return { kind: b.kind, streamId: b.streamId, revision: b.revision, position: b.position, expected: b.expected, found: b.found, eventId: e.eventId, detectedAt: e.metadata.occurredAt };
      });
      void reply.header('Cache-Control', 'no-store');
      return {
        monitored: status !== undefined,
        ok: status ? status.ok : recorded.length === 0,
        checkedAt: status?.checkedAt ?? null,
        verifiedPosition: status?.verifiedPosition ?? null,
        lastAnchor: status?.lastAnchor ?? null,
        lastError: status?.lastError ?? null,
        breaks: status?.breaks ?? [],
        recorded,
      };
    },
  );
};
