/**
 * GET /v1/research/extract: the pseudonymised research extract (the unit's "CAS forms") of the cases received in a
 * period, JSON with its data dictionary or CSV. Pseudonymised data is still personal data (UK GDPR recital 26):
 * the data protection officer alone draws it, says why in X-Justification, and the read is logged across
 * referrals (`referralId: '*'`) before the data leaves.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readResearchExtractPage } from '@hru/application';
import { loadOrCreatePseudonymKey } from '@hru/infra';
import { researchExtractCsv, researchExtractPageFromModel, researchExtractTextFromModel } from '@hru/projections';
import { checkResearchPeriod, researchDictionary, researchPeriodFields } from '@hru/workflows';
import { justificationHeaders } from '../schemas/common.js';
import { logConsultation } from '../schemas/consultation.js';
import { asciiJson, sendJsonText } from '../schemas/ascii-json.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { commonProblems } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';

const query = z
  .object({
    ...researchPeriodFields,
    format: z.enum(['json', 'csv']).default('json').describe('`csv`: one table with a `row_type` column (`case` or `intervention`)'),
    limit: z.coerce.number().int().min(1).max(5_000).default(1_000).describe('Cases a page holds at most (with their interventions)'),
    cursor: z
      .string()
      .regex(/^[0-9]{4}-[0-9]{2}\|c-[0-9a-f]{16}$/)
      .optional()
      .describe('`nextCursor` of the previous page (CSV: its `X-Next-Cursor` header)'),
  })
  .superRefine(checkResearchPeriod);

const cell = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string()).readonly()]);
const entry = z.object({ column: z.string(), meaning: z.string(), values: z.string(), safe: z.string() });
const extractReply = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  keyId: z.string().describe('Public fingerprint of the pseudonym key: pseudonyms of two extracts compare only when it is the same'),
  dictionary: z.object({ cases: z.array(entry), interventions: z.array(entry) }),
  cases: z.array(z.record(z.string(), cell)),
  interventions: z.array(z.record(z.string(), cell)),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
});

/** The data dictionary every JSON page carries, written once: it is the same for every extract. */
const DICTIONARY = asciiJson(researchDictionary());

export const researchRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  // Loaded (or generated) once, at start: a bad or reused key stops start-up rather than the first extract.
  const key = loadOrCreatePseudonymKey(deps.config);

  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/research/extract',
    {
      config: { access: { staff: ['data_protection'], personalData: true } },
      schema: {
        tags: ['data protection'],
        summary: 'Pseudonymised research extract of the cases received in a period (needs X-Justification; the read is logged)',
        description:
          'One row per case received from `from` to `to` (months, inclusive) and one per intervention of those cases, whenever it happened. ' +
          'Stable pseudonyms (the same person in every case), dates as months, no names, dates of birth, references or free text. ' +
          'The JSON carries the data dictionary. Paged by case (month of receipt, then case pseudonym): a page holds `limit` cases and their interventions.',
        security: [{ bearer: [] }],
        headers: justificationHeaders,
        querystring: query,
        response: { 200: extractReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const { from, to, format, limit, cursor } = request.query;
      const options = { period: { from, to }, key, limit, cursor };
      // The research read model where this process keeps it with this key (a page is a range read); the log otherwise.
      if (format === 'csv') {
        const extract = researchExtractPageFromModel(deps.readModels, options) ?? (await readResearchExtractPage(deps.store, options));
        await logConsultation(deps, request, '*', 'research_extract');
        void reply.header('Cache-Control', 'no-store');
        if (extract.nextCursor) void reply.header('X-Next-Cursor', extract.nextCursor);
        return sendCsv(reply, `research-extract-${from}-${to}`, researchExtractCsv(extract));
      }
      // The model keeps each case's rows rendered as JSON, so its page is joined, not built and stringified; the log's
      // page is stringified here.
      const stored = researchExtractTextFromModel(deps.readModels, options);
      const page = stored ?? (await readResearchExtractPage(deps.store, options));
      const [cases, interventions] = stored
        ? [`[${stored.cases.join(',')}]`, `[${stored.interventions.join(',')}]`]
        : [JSON.stringify(page.cases), JSON.stringify(page.interventions)];
      await logConsultation(deps, request, '*', 'research_extract');
      void reply.header('Cache-Control', 'no-store');
      // Written as plain JSON rather than through the reply's schema, which documents it: checking a page of 1,000 cases
      // against it (zod over 1.4 MB of records of cells) cost 57–87 ms, three times the page's read, and filters
      // nothing, since its records take any column; the columns are fixed where the extract is built. The rows are
      // ASCII; the dictionary is not (’ “ ≥), so it is written with escapes and the page stays a one-byte string.
      const body =
        `{"period":${JSON.stringify(page.period)},"keyId":${JSON.stringify(page.keyId)},"dictionary":${DICTIONARY},` +
        `"cases":${cases},"interventions":${interventions},"nextCursor":${JSON.stringify(page.nextCursor)}}`;
      return sendJsonText(reply, body);
    },
  );
};
