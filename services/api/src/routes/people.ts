/**
 * A person's rights over their data (DPA 2018 Part 3), for the data protection officer: erasure (s47, crypto-shredding:
 * their keys are destroyed, the log is not rewritten) and subject access (s45: everything held about them, with every
 * read, disclosure and erasure of it). Both are justified and logged (s62) before anything happens.
 */
import { PersonErasure, subjectAccessExport, subjectAccessRows } from '@hru/application';
import { NotFoundError, partyIdSchema } from '@hru/events';
import { actorOf } from '@hru/infra';
import { columnsOf, toCsv } from '@hru/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal } from '../plugins/access-control.js';
import { justificationHeaders } from '../schemas/common.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { commonProblems, problemSchema } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

const dataProtection = ['data_protection'] as const;
const partyParams = z.object({ partyId: partyIdSchema });

const erasureReply = z.object({
  partyId: z.string(),
  referralIds: z.array(z.string()).describe('The cases the person was part of; each recorded PartyErased and lost its free text'),
  keysDestroyed: z.number().int().describe('Live keys this request destroyed (0 when the person was already erased)'),
  erasedAt: z.string(),
});

const exportQuery = z.object({ format: z.enum(['json', 'csv']).default('json').describe('`csv` for one row per detail, event and access-log entry') });

const exportReply = z
  .object({
    partyId: z.string(),
    generatedAt: z.string(),
    cases: z.array(z.record(z.string(), z.unknown())),
    accessLog: z.array(z.record(z.string(), z.unknown())),
  })
  .describe('Everything held about the person, decrypted (or marked erased), and every s62 entry about them');

export const peopleRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const erasure = new PersonErasure(deps.store, deps.keys);
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    '/v1/people/:partyId/erasure',
    {
      config: { access: { staff: dataProtection, personalData: true } },
      schema: {
        tags: ['data protection'],
        summary: "Erase a person: destroy their keys (and their cases' free text); logged as an s62 erasure; the log is not rewritten",
        security: [{ bearer: [] }],
        params: partyParams,
        headers: justificationHeaders,
        response: { 200: erasureReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request) => {
      const justification = request.headers['x-justification'];
      return erasure.erase({
        partyId: request.params.partyId,
        justification,
        actor: actorOf(requirePrincipal(request)),
        correlationId: request.correlationId,
        requestId: request.id,
        clientRequestId: request.clientRequestId,
        at: deps.now(),
      });
    },
  );

  typed.get(
    '/v1/people/:partyId/export',
    {
      config: { access: { staff: dataProtection, personalData: true } },
      schema: {
        tags: ['data protection'],
        summary: 'Subject access: everything held about a person, decrypted, with every read, disclosure and erasure of it (JSON or CSV)',
        security: [{ bearer: [] }],
        params: partyParams,
        headers: justificationHeaders,
        querystring: exportQuery,
        response: { 200: exportReply, 404: problemSchema, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { partyId } = request.params;
      // An unknown person is told apart before anything is logged: there is no data to have read.
      const referralIds = await deps.keys.casesOf(partyId);
      if (referralIds.length === 0) throw new NotFoundError('Person', partyId);
      // The read is logged before the data leaves, once per case, so each case's access log shows it.
      for (const referralId of referralIds) {
        await deps.accessLog.record({
          referralId,
          partyId,
          resource: 'person',
          justification: request.headers['x-justification'],
          actor: actorOf(requirePrincipal(request)),
          correlationId: request.correlationId,
          requestId: request.id,
          clientRequestId: request.clientRequestId,
          at: deps.now(),
        });
      }
      const report = await subjectAccessExport(deps.store, deps.keys, partyId, deps.now());
      void reply.header('Cache-Control', 'no-store');
      if (request.query.format === 'csv') {
        const rows = subjectAccessRows(report);
        return sendCsv(reply, `subject-access-${partyId}`, toCsv(rows, columnsOf(['section', 'referralId', 'at', 'what', 'by', 'content'])));
      }
      return report as unknown as z.infer<typeof exportReply>;
    },
  );
};
