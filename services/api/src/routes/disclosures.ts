/**
 * POST /v1/referrals/:id/disclosures: shares a referral's data with partner agencies. The disclosure, its
 * recipients and the legal gateway it rests on are written to the access log (DPA 2018 s62) before the data
 * is handed over; the reply is the package to send.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReferralDisclosed, justificationSchema } from '@hru/events';
import { newEvent } from '@hru/application';
import { loadReadable } from '../schemas/read-access.js';
import { actorOf } from '@hru/infra';
import { requirePrincipal } from '../plugins/access-control.js';
import { referralIdParams } from '../schemas/common.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

/** The gateways partnership sharing commonly rests on (DOMAIN.md §6); `other` needs the detail spelled out. */
export const sharingGateways = [
  'crime_and_disorder_act_1998_s115',
  'mappa_duty_to_cooperate',
  'safeguarding',
  'consent',
  'court_order',
  'other',
] as const;

const disclosureBody = z
  .strictObject({
    recipients: z.array(z.string().trim().min(1).max(200)).min(1).max(20).describe('Who receives the data (agency and role or person)'),
    agencies: z
      .array(z.string().trim().min(1).max(100))
      .min(1)
      .max(20)
      .optional()
      .describe("The partner agencies (as their staff's token claim `agency`) whose staff may read the referral from now on"),
    gateway: z.enum(sharingGateways),
    gatewayDetail: z.string().trim().min(3).max(500).optional().describe('Required when gateway is `other`'),
    justification: justificationSchema,
  })
  .refine((b) => b.gateway !== 'other' || b.gatewayDetail !== undefined, { message: 'say which gateway', path: ['gatewayDetail'] });

const disclosureReply = z.object({
  referralId: z.string(),
  revision: z.number().int(),
  disclosedAt: z.string(),
  recipients: z.array(z.string()),
  gateway: z.string(),
  data: z.record(z.string(), z.unknown()).describe('The referral as disclosed, personal data included'),
});

export const disclosureRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/referrals/:id/disclosures',
    {
      config: { access: { staff: ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'], personalData: 'body' } },
      schema: {
        tags: ['audit'],
        summary: 'Disclose a referral to partner agencies under a recorded gateway (logged with its recipients)',
        security: [{ bearer: [] }],
        params: referralIdParams,
        body: disclosureBody,
        response: { 200: disclosureReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { id } = request.params;
      const loaded = await loadReadable(deps, request, id);
      const { recipients, agencies, gateway, gatewayDetail, justification } = request.body;
      const at = deps.now();
      const gatewayRecorded = gatewayDetail ? `${gateway}: ${gatewayDetail}` : gateway;
      await deps.accessLog.record({
        referralId: id,
        resource: 'export',
        justification,
        actor: actorOf(principal),
        correlationId: request.correlationId,
        requestId: request.id,
        clientRequestId: request.clientRequestId,
        at,
        disclosure: { recipients, gateway: gatewayRecorded },
      });
      // The agencies it was shared with may read the referral from now on: the grant is a fact of its stream.
      if (agencies && agencies.length > 0) {
        await deps.store.appendToStream(id, [
          newEvent(ReferralDisclosed.type, { referralId: id, agencies, gateway: gatewayRecorded }, {
            actor: actorOf(principal),
            correlationId: request.correlationId,
            causationId: request.id,
            occurredAt: at.toISOString(),
          }),
        ]);
      }
      void reply.header('Cache-Control', 'no-store');
      return { referralId: id, revision: loaded.revision, disclosedAt: at.toISOString(), recipients, gateway: gatewayRecorded, data: { ...loaded.view } };
    },
  );
};
