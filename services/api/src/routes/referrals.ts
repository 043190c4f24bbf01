/** GET /v1/referrals/:id: the current state of one referral, with its personal data, for a stated reason. */
import { toTimelineEntry } from '@hru/application';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../plugins/access-control.js';
import { commandsAvailableTo } from '../schemas/command-catalogue.js';
import { etag, justificationHeaders, referralIdParams } from '../schemas/common.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { logConsultation } from '../schemas/consultation.js';
import { loadReadable } from '../schemas/read-access.js';
import { personalDataReaders } from '../schemas/common.js';

const RECENT_EVENTS = 100;

const measureView = z.object({
  measureId: z.string(),
  kind: z.enum(['spo', 'dvpo', 'bail', 'mappa', 'disclosure_scheme']),
  status: z.string().describe("The state of the kind's lifecycle, e.g. `notification_due`, `active`, `lapsed`"),
  facts: z
    .object({
      order: z.enum(['interim', 'full']).optional().describe('SPO: the stage of the order applied for or granted'),
      endsOn: z.string().nullable().optional().describe("An order's end date; null for until further order"),
      authorisedBy: z.string().optional().describe('DVPN: the rank that authorised the notice'),
      days: z.number().optional().describe('DVPO: its length in days'),
      bailStart: z.string().optional(),
      bailAuthority: z.enum(['initial', 'inspector', 'superintendent', 'court']).optional().describe('Who set the current bail period'),
      withConditions: z.boolean().optional(),
      category: z.number().optional().describe('MAPPA category'),
      level: z.number().optional().describe('MAPPA level'),
      route: z.enum(['right_to_ask', 'right_to_know']).optional(),
    })
    .describe('What its steps recorded, by kind'),
  steps: z.array(z.object({ step: z.string(), at: z.string().describe('When it happened'), recordedAt: z.string(), note: z.string().nullable() })),
  breaches: z.array(z.object({ breachOn: z.string(), crimeReference: z.string(), at: z.string() })),
});

const deadlineView = z.object({
  deadlineId: z.string(),
  kind: z.string(),
  clock: z.string(),
  measureId: z.string().nullable(),
  owner: z.string().describe('The role that must act'),
  triggerAt: z.string(),
  startedBy: z.string().nullable().describe('The measure step whose time the trigger is; null for the case’s own clocks'),
  dueAt: z.string(),
  warnAt: z.string().nullable(),
  version: z.number().int(),
  status: z.enum(['open', 'missed', 'met', 'cancelled', 'expired']),
  warnedAt: z.string().nullable(),
  missedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  late: z.boolean(),
});

const referralReply = z
  .object({
    referralId: z.string(),
    revision: z.number().int(),
    stage: z.string(),
    allowedCommands: z.array(z.string()).describe('Commands the referral accepts in its current state'),
    availableToYou: z.array(z.string()).describe('The allowed commands your roles may issue'),
    measures: z.array(measureView).describe('Legal measures (SPO, DVPN/DVPO, bail, MAPPA, disclosure scheme) in the order they were started, legacy interventions included'),
    deadlines: z.array(deadlineView).describe('Every statutory and plan clock with its status: unmet (open or missed) first, then the rest, each by due time'),
    recentEvents: z
      .array(z.record(z.string(), z.unknown()))
      .describe(`The latest ${RECENT_EVENTS} events as a timeline (who, what, when; without the events' personal sections, so no why), oldest first. The full history is GET /v1/referrals/:id/history (auditors and supervisors).`),
  })
  .loose();

export const referralRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/referrals/:id',
    {
      config: { access: { staff: personalDataReaders, personalData: true } },
      schema: {
        tags: ['referrals'],
        summary: 'Current state of a referral (personal data: needs X-Justification; the read is logged). Admins are refused; partner agency staff read only referrals they are entitled to (else 404)',
        security: [{ bearer: [] }],
        params: referralIdParams,
        headers: justificationHeaders,
        response: { 200: referralReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { id } = request.params;
      const loaded = await loadReadable(deps, request, id);
      await logConsultation(deps, request, id, 'referral');
      // Practitioners need to see who did what and why; the full, paged history is the auditors' route.
      const recent = await deps.store.readStream(id, { direction: 'backwards', maxCount: RECENT_EVENTS });
      void reply.header('ETag', etag(loaded.revision)).header('Cache-Control', 'no-store');
      return {
        ...loaded.view,
        referralId: id,
        revision: loaded.revision,
        allowedCommands: loaded.allowedCommands,
        availableToYou: principal.kind === 'staff' ? commandsAvailableTo(principal.roles, loaded.allowedCommands) : [],
        // The short timeline says who did what and when; the why (personal) is in the history and in the state above.
        recentEvents: recent.reverse().map((event) => ({ ...toTimelineEntry(event) })),
      };
    },
  );
};
