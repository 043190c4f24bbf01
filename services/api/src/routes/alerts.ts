/** Urgent alerts for supervisors: the list (read model), acknowledgement (a command), and the live stream. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError, ValidationError, reasonSchema, roleSchema, urgentRaisedBySchema, type Role } from '@hru/events';
import { actorOf } from '@hru/infra';
import { alertsPosition, decodeAlertCursor, encodeAlertCursor, pageAlerts } from '@hru/projections';
import { requirePrincipal } from '../plugins/access-control.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { streamAlerts, type OpenStreams } from './alert-stream.js';
import { StreamSlots } from './stream-slots.js';
import { assertMayRead, mayRead, readsAll } from '../schemas/read-access.js';
import { caseContextShape } from '../schemas/case-context.js';

/** Staff who work cases: every one of them may hold an alert addressed to their role. */
const caseworkerRoles = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'] as const;

const alertIdParams = z.object({ id: z.string().regex(/^ref-[0-9a-f]{32}\.ua[0-9]{1,4}$/, 'an alert id') });

const alertItem = z.object({
  alertId: z.string(),
  referralId: z.string(),
  raisedBy: urgentRaisedBySchema.describe(
    'Who raised it: staff (`person`), intake rules, a statutory clock that passed unmet (`deadline`) or a breach of an order (`breach`). ' +
      'The free-text reason is personal data: read it on GET /v1/referrals/:id (justified, logged)',
  ),
  addressedTo: roleSchema.describe('The role that must act on it (alerts raised before alerts were addressed: `supervisor`)'),
  rules: z
    .array(z.string())
    .describe('The reason\'s category in detail: the intake rules matched, the deadline kind that passed, or the breach rule; empty when staff raised it'),
  raisedAt: z.string(),
  status: z.enum(['open', 'escalated', 'acknowledged', 'resolved']),
  escalationLevel: z.number().int(),
  tier: z.string().describe('Who the alert is addressed to at its level (HRU_ALERT_ESCALATION_TIERS)'),
  ackDueAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  deliveries: z.array(z.object({ kind: z.string(), level: z.number(), target: z.string(), status: z.string(), attempts: z.number(), lastError: z.string().nullable() })),
  context: z
    .object({ problemBehaviour: z.string().nullable(), stage: z.string().nullable(), ownerSub: z.string().nullable(), ...caseContextShape })
    .describe('The case as people know it, from the caseload (no personal data); nulls once the case has left it'),
});

/**
 * Everything in it is optional: a pager's one-button acknowledgement sends no body at all (or an empty one
 * with a JSON content type), the console sends a note. `reason` is accepted as another name for `note`,
 * because every other command calls its free text `reason`.
 */
const acknowledgement = z
  .strictObject({
    note: reasonSchema.optional().describe('What is being done about it; recorded with the acknowledgement'),
    reason: reasonSchema.optional().describe('The same as `note`, under the name the other commands use'),
  })
  .refine((body) => body.note === undefined || body.reason === undefined, {
    message: '`reason` is another name for `note`: send one of them',
    path: ['reason'],
  })
  // Fastify hands the validator null for a request without a body.
  .nullish()
  .describe('Optional: no body, an empty body or `{}` acknowledge without a note');

const listQuery = z.object({
  status: z
    .enum(['open', 'escalated', 'acknowledged', 'resolved', 'all'])
    .default('open')
    .describe('`open` = not yet acknowledged (open and escalated alerts)'),
  referralId: z.string().regex(/^ref-[0-9a-f]{32}$/).optional(),
  addressedTo: roleSchema.optional().describe('Only the alerts addressed to this role'),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
});

export const alertRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const openStreams: OpenStreams = new Set();
  const slots = new StreamSlots(deps.config.maxStreamsPerSubject);
  // Streams never end by themselves: end them when the server shuts down, so draining can finish.
  app.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  typed.get(
    '/v1/alerts',
    {
      // Supervisors see every alert; the other caseworkers see the alerts addressed to their roles (a missed bail
      // clock is the officer's to act on).
      config: { access: { staff: [...caseworkerRoles] } },
      schema: {
        tags: ['alerts'],
        summary: 'Urgent alerts, newest first (no personal data: the reason is read on the referral)',
        description:
          '`position` is the log position the list reflects: open the stream with `?after=<position>` to miss nothing. ' +
          'Supervisors see every alert; other caseworkers only the alerts addressed to one of their roles.',
        security: [{ bearer: [] }],
        querystring: listQuery,
        response: {
          200: z.object({
            items: z.array(alertItem),
            position: z.string(),
            nextCursor: z
              .string()
              .nullable()
              .describe('Pass as `cursor` for the next page (newest first); null at the end. A caller who may not read every referral can get a page with fewer items'),
          }),
          ...commonProblems,
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const position = alertsPosition(deps.readModels);
      const tiers = deps.config.alertEscalationTiers;
      // The read model holds no free-text reason (personal data, read on the referral with a justification).
      const all = readsAll(deps, principal);
      const readable = async (referralId: string) => {
        if (all) return true;
        const loaded = await deps.commands.load(referralId);
        return loaded !== undefined && mayRead(deps, principal, loaded.view);
      };
      // Only staff reach this route (access: staff), so the principal holds roles.
      const roles: readonly Role[] = principal.kind === 'staff' ? principal.roles : [];
      const supervisor = roles.includes('supervisor');
      const own = (addressedTo: Role) => supervisor || roles.includes(addressedTo);
      // One role of their own asked for, or the only one they hold: the read model filters, so the page stays full.
      const casework = roles.filter((role) => (caseworkerRoles as readonly Role[]).includes(role));
      const addressedTo = supervisor ? request.query.addressedTo : request.query.addressedTo ?? (casework.length === 1 ? casework[0] : undefined);
      if (addressedTo !== undefined && !own(addressedTo)) return { items: [], position: position.toString(), nextCursor: null };
      const { cursor, ...query } = request.query;
      const after = cursor === undefined ? undefined : decodeAlertCursor(cursor);
      if (cursor !== undefined && !after) throw new ValidationError('Not a cursor of this list', [{ path: '/cursor', message: 'use nextCursor as given' }]);
      const page = pageAlerts(deps.readModels, { ...query, ...(addressedTo ? { addressedTo } : {}), ...(after ? { after } : {}) });
      // The cursor follows the page as read, before the role and referral checks leave rows out of it.
      const nextCursor = page.more ? encodeAlertCursor(page.rows.at(-1)!) : null;
      const listed = page.rows.filter((item) => own(item.addressedTo));
      const allowed = await Promise.all(listed.map((item) => readable(item.referralId)));
      const items = listed.filter((_, i) => allowed[i]).map((item) => ({
        ...item,
        tier: tiers[Math.min(item.escalationLevel, tiers.length - 1)]!,
      }));
      return { items, position: position.toString(), nextCursor };
    },
  );

  // An empty body sent as JSON means "no note" here, where fastify's own parser refuses it as invalid JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) =>
    body === '' ? done(null, undefined) : parseJson(request, body, done),
  );

  typed.post(
    '/v1/alerts/:id/acknowledge',
    {
      // The decision checks the alert: a supervisor acknowledges any, the role it is addressed to its own (409 otherwise).
      config: { access: { staff: [...caseworkerRoles] } },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an urgent alert (stops its escalation): a supervisor, or the role it is addressed to',
        description:
          'The body is optional: none, an empty one or `{}` acknowledges without a note (a pager’s one button); ' +
          '`{"note": "…"}` records a note, and `reason` is accepted as another name for `note` (every other command ' +
          'calls its free text `reason`). Sending both is refused, as is a blank or over-long note.',
        security: [{ bearer: [] }],
        params: alertIdParams,
        body: acknowledgement,
        response: {
          200: z.object({ alertId: z.string(), referralId: z.string(), status: z.literal('acknowledged'), revision: z.number().int() }),
          404: problemSchema,
          409: problemSchema,
          ...commonProblems,
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const alertId = request.params.id;
      const note = request.body?.note ?? request.body?.reason;
      // The alert id starts with its referral's id, so acknowledgement needs no read model.
      const referralId = alertId.slice(0, alertId.indexOf('.ua'));
      const loaded = await deps.commands.load(referralId);
      if (loaded === undefined) throw new NotFoundError('Alert', alertId);
      assertMayRead(deps, request, referralId, loaded.view);
      const result = await deps.commands.handle(
        referralId,
        { name: 'acknowledge-urgent-action', payload: { alertId, ...(note === undefined ? {} : { note }) } },
        { actor: actorOf(principal), correlationId: request.correlationId, causationId: request.id, now: deps.now().toISOString() },
      );
      return { alertId, referralId, status: 'acknowledged' as const, revision: result.revision };
    },
  );

  typed.get(
    '/v1/alerts/stream',
    {
      // As the list: supervisors hear every alert, the other caseworkers those addressed to one of their roles.
      config: { access: { staff: [...caseworkerRoles] } },
      schema: {
        tags: ['alerts'],
        summary: 'Live urgent alerts as Server-Sent Events (supervisors: all; other caseworkers: those addressed to their roles)',
        description:
          'Events `raised`, `escalated`, `acknowledged`, `resolved`, each with `id` = log position, carrying `raisedBy`, `rules`, the tier now ' +
          'addressed and the case’s `context` (crime reference, offence, DASH, indicators) but no reason ' +
          '(free text, personal data: read it on GET /v1/referrals/:id with a justification). Reconnect with ' +
          '`Last-Event-ID` (browsers do it by themselves) or `?after=<position>` to resume with no gap; without either, the stream starts live. ' +
          'The stream ends when the token that opened it expires (reconnect with a fresh token); a subject may hold ' +
          'HRU_MAX_STREAMS_PER_SUBJECT streams at once, and the next gets 429.',
        security: [{ bearer: [] }],
        headers: z.object({ 'last-event-id': z.string().regex(/^-?\d{1,20}$/).optional() }),
        querystring: z.object({
          after: z.string().regex(/^-?\d{1,20}$/).optional(),
          changes: z
            .enum(['true', 'false'])
            .optional()
            .describe('`true`: also `changed` events (`{referralId, change}`: the case and the event type, no more) when a case’s caseload row changes, sent once the caseload has applied it, for live queues and caseloads. Live news only: changes from before the connection are not replayed (a client reads its lists anew when it connects)'),
        }),
      },
    },
    async (request, reply) => {
      const resumeFrom = request.headers['last-event-id'] ?? request.query.after;
      await streamAlerts({ open: openStreams, slots }, deps, request, reply, resumeFrom === undefined ? undefined : BigInt(resumeFrom), {
        changes: request.query.changes === 'true',
      });
    },
  );
};
