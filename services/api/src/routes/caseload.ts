/**
 * The caseload: every case by stage, owner, urgency, review and deadlines, in keyset pages, with each case's
 * context (crime reference, offence, DASH, indicators); and the search by a person's name or source reference,
 * which reads the blind index (keyed MACs, never clear names) and is a justified, logged read.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { crimeReferenceInputSchema, problemBehaviourSchema, ValidationError } from '@hru/events';
import { actorOf, loadOrCreateBlindIndexKey } from '@hru/infra';
import {
  blindIndex,
  caseloadCsvColumns,
  caseloadCursorAfter,
  caseloadDeadlineStatuses,
  caseloadStages,
  decodeCaseloadCursor,
  encodeCaseloadCursor,
  nameWords,
  normaliseSourceRef,
  pageCaseload,
  searchCases,
  toCsv,
  type CaseloadFilter,
  type CaseloadRow,
} from '@hru/projections';
import { requirePrincipal } from '../plugins/access-control.js';
import { allStaff, justificationHeaders, personalDataReaders } from '../schemas/common.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { durationParam } from '../schemas/iso-duration.js';
import { commonProblems } from '../schemas/problem.js';
import { mayRead, ofOwningForce } from '../schemas/read-access.js';
import { caseContextShape } from '../schemas/case-context.js';
import type { ApiDeps } from '../deps.js';

/** The deepest `offset` a caseload page takes (its cost grows with it; a cursor's does not). */
export const MAX_CASELOAD_OFFSET = 10_000;

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const caseloadQuery = z.object({
  problemBehaviour: problemBehaviourSchema.optional(),
  stage: z.enum(caseloadStages).optional(),
  owner: z.string().max(200).optional().describe('Owner (staff `sub`): "My cases" is the caller’s own'),
  unassigned: flag.optional().describe('`true`: only cases nobody is assigned'),
  urgent: flag.optional().describe('`true`: only cases with an open alert; `false`: only those without'),
  reviewDue: flag.optional().describe('`true`: only cases under management whose review is due today or earlier'),
  deadlineStatus: z.enum(caseloadDeadlineStatuses).optional().describe('`overdue`: a clock past due and unmet; `due`: one due within `within`'),
  within: durationParam('P7D').describe('The window of `deadlineStatus=due` (ISO 8601 duration, default P7D)'),
  crimeReference: crimeReferenceInputSchema.optional().describe('The crime reference, any case (CC/26/000123)'),
  includeClosed: flag.optional(),
  limit: z.coerce.number().int().min(1).max(5_000).default(500),
  cursor: z.string().max(300).optional().describe('`nextCursor` of the previous page'),
  // Skipping rows by position reads every row skipped (about 7 ms of CPU per 100,000 at a national year), so a deep
  // offset was the one caseload request whose cost grew with the table: bounded, as search engines bound theirs.
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_CASELOAD_OFFSET, `at most ${MAX_CASELOAD_OFFSET}: page deeper with \`cursor\` (each page's \`nextCursor\`)`)
    .optional()
    .describe(`Deprecated: page with \`cursor\`, which stays stable as cases move and costs the same at any depth; at most ${MAX_CASELOAD_OFFSET}`),
  format: z.enum(['json', 'csv']).default('json').describe('`csv` for a spreadsheet-ready download of one page; the next page’s cursor is in `X-Next-Cursor`'),
});

export const caseloadItem = z.object({
  referralId: z.string(),
  problemBehaviour: z.string(),
  stage: z.string(),
  stageSince: z.string(),
  receivedAt: z.string(),
  ownerSub: z.string().nullable(),
  ownerAgency: z.string().nullable(),
  urgent: z.boolean().describe('An alert is open on the case'),
  nextReviewDue: z.string().nullable(),
  ageDays: z.number().int(),
  daysInStage: z.number().int(),
  targetDays: z.number().nullable().describe('The stage’s target in days (its queue’s), null for stages without one'),
  overTarget: z.boolean(),
  ...caseContextShape,
});

const caseloadReply = z.object({
  items: z.array(caseloadItem),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
});

const searchQuery = z.object({
  by: z.enum(['name', 'sourceRef']).default('name').describe('`name`: every word must match one person of the case; `sourceRef`: the source system’s person reference'),
  q: z.string().trim().min(1).max(200).describe('The name or reference searched for (never stored nor logged: only its keyed MAC is compared)'),
  includeClosed: flag.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const caseloadRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  // The same key the projector indexes with (HRU_BLIND_INDEX_KEY, or the one generated into the data dir).
  const key = loadOrCreateBlindIndexKey(deps.config);

  /** A page of rows the caller may read: partner agency staff get each row checked, reading on until the page is full. */
  async function readablePage(request: FastifyRequest, filter: CaseloadFilter): Promise<{ rows: CaseloadRow[]; more: boolean }> {
    const principal = requirePrincipal(request);
    const now = deps.now();
    if (ofOwningForce(deps, principal)) return pageCaseload(deps.readModels, filter, now);
    const limit = filter.limit ?? 500;
    const rows: CaseloadRow[] = [];
    let after = filter.after;
    for (;;) {
      const page = pageCaseload(deps.readModels, { ...filter, ...(after ? { after } : {}), limit: Math.max(limit, 100) }, now);
      for (const row of page.rows) {
        const loaded = await deps.commands.load(row.referralId);
        if (loaded === undefined || !mayRead(deps, principal, loaded.view)) continue;
        if (rows.length === limit) return { rows, more: true };
        rows.push(row);
      }
      if (!page.more) return { rows, more: false };
      after = caseloadCursorAfter(page.rows.at(-1)!);
    }
  }

  typed.get(
    '/v1/caseload',
    {
      config: { access: { staff: allStaff } },
      schema: {
        tags: ['read models'],
        summary: 'Cases by stage, owner, urgency, review and deadlines, urgent first then oldest, with their context (no personal data)',
        description:
          'Keyset pages: pass `nextCursor` as `cursor`. Find a case by its crime reference with `crimeReference`; by a person’s name or ' +
          'source reference with GET /v1/caseload/search (a justified read).',
        security: [{ bearer: [] }],
        querystring: caseloadQuery,
        response: { 200: caseloadReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = deps.now();
      let after;
      if (q.cursor !== undefined) {
        after = decodeCaseloadCursor(q.cursor);
        if (!after) throw new ValidationError('Not a cursor of this list', [{ path: '/cursor', message: 'use nextCursor as given' }]);
      }
      const filter: CaseloadFilter = {
        ...(q.problemBehaviour ? { problemBehaviour: q.problemBehaviour } : {}),
        ...(q.stage ? { stage: q.stage } : {}),
        ...(q.owner ? { ownerSub: q.owner } : {}),
        ...(q.unassigned ? { unassigned: true } : {}),
        ...(q.urgent !== undefined ? { urgent: q.urgent } : {}),
        ...(q.includeClosed !== undefined ? { includeClosed: q.includeClosed } : {}),
        ...(q.crimeReference ? { crimeReference: q.crimeReference } : {}),
        ...(q.reviewDue ? { reviewDueBy: now.toISOString().slice(0, 10) } : {}),
        ...(q.deadlineStatus
          ? { deadlineStatus: q.deadlineStatus, deadlinesAsOf: now.toISOString(), deadlinesDueUntil: new Date(now.getTime() + q.within).toISOString() }
          : {}),
        ...(after ? { after } : {}),
        ...(q.offset !== undefined && !after ? { offset: q.offset } : {}),
        limit: q.limit,
      };
      const page = await readablePage(request, filter);
      const nextCursor = page.more ? encodeCaseloadCursor(caseloadCursorAfter(page.rows.at(-1)!)) : null;
      if (q.format === 'csv') {
        if (nextCursor) void reply.header('X-Next-Cursor', nextCursor);
        return sendCsv(reply, 'caseload', toCsv(page.rows, caseloadCsvColumns));
      }
      return { items: page.rows, nextCursor };
    },
  );

  typed.get(
    '/v1/caseload/search',
    {
      // Who reads cases' personal data may look a person up; the search says which cases name them, so it is logged.
      config: { access: { staff: personalDataReaders, personalData: true } },
      schema: {
        tags: ['read models'],
        summary: 'Cases naming a person, by name or source person reference (a justified read: X-Justification, access log)',
        description:
          'Compared as keyed MACs (HRU_BLIND_INDEX_KEY) of the normalised words (accents and case folded) against a blind index: the ' +
          'read models hold no names. Every word of a name must match the same person of a case. Each case found gets an access-log ' +
          'entry (resource `case_search`); a search that finds none is logged once under `*`. The words searched for are not logged.',
        security: [{ bearer: [] }],
        headers: justificationHeaders,
        querystring: searchQuery,
        response: { 200: z.object({ items: z.array(caseloadItem) }), ...commonProblems },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const principal = requirePrincipal(request);
      const macs = q.by === 'name' ? nameWords(q.q).map((w) => blindIndex(key, 'name', w)) : [blindIndex(key, 'ref', normaliseSourceRef(q.q))];
      if (macs.length === 0) throw new ValidationError('Nothing to search for', [{ path: '/q', message: 'give at least one letter or digit' }]);
      const ids = searchCases(deps.readModels, macs, 1_000);
      const found = ids.length === 0 ? [] : pageCaseload(deps.readModels, { referralIds: ids, includeClosed: q.includeClosed ?? false, limit: 1_000 }, deps.now()).rows;
      const visible: CaseloadRow[] = [];
      for (const row of found) {
        if (visible.length === q.limit) break;
        if (!ofOwningForce(deps, principal)) {
          const loaded = await deps.commands.load(row.referralId);
          if (loaded === undefined || !mayRead(deps, principal, loaded.view)) continue;
        }
        visible.push(row);
      }
      // Logged before the reply leaves: a search that cannot be logged does not answer.
      for (const referralId of visible.length ? visible.map((r) => r.referralId) : ['*']) {
        await deps.accessLog.record({
          referralId,
          resource: 'case_search',
          justification: request.headers['x-justification'],
          actor: actorOf(principal),
          correlationId: request.correlationId,
          requestId: request.id,
          clientRequestId: request.clientRequestId,
          at: deps.now(),
        });
      }
      void reply.header('Cache-Control', 'no-store');
      return { items: visible };
    },
  );
};
