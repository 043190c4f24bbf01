/**
 * Statutory and plan deadlines across the caseload (issue #17), from the deadlines read model: overdue first, then
 * soonest due, in keyset pages; JSON, or CSV with `?format=csv`. No personal data: each row names its case by id,
 * problem behaviour, stage and assignee, and its clock by kind, measure and owning role.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deadlineKindSchema, roleSchema, ValidationError } from '@hru/events';
import {
  decodeDeadlineCursor,
  deadlineCsvColumns,
  deadlineCursorAfter,
  deadlineListStatuses,
  encodeDeadlineCursor,
  listDeadlines,
  toCsv,
  type DeadlineListFilter,
  type DeadlineListRow,
} from '@hru/projections';
import { requirePrincipal } from '../plugins/access-control.js';
import { personalDataReaders, referralIdParams } from '../schemas/common.js';
import { sendCsv } from '../schemas/csv-reply.js';
import { durationParam } from '../schemas/iso-duration.js';
import { commonProblems } from '../schemas/problem.js';
import { mayRead, readsAll } from '../schemas/read-access.js';
import type { ApiDeps } from '../deps.js';
import { caseContextShape } from '../schemas/case-context.js';

const deadlinesQuery = z.object({
  status: z
    .enum(deadlineListStatuses)
    .optional()
    .describe(
      '`due` = open and due within `within` from now; `overdue` = unmet (open or missed) and past its due time; ' +
        '`met` = met, in time or late; `missed` = ever missed (met late, or still unmet). Omitted: every deadline.',
    ),
  within: durationParam('P7D').describe('The window of `status=due`, an ISO 8601 duration (weeks, days, hours, minutes, seconds; default P7D)'),
  owner: roleSchema.optional().describe('The role that must act'),
  kind: deadlineKindSchema.optional(),
  referralId: referralIdParams.shape.id.optional(),
  limit: z.coerce.number().int().min(1).max(5_000).default(500),
  cursor: z.string().max(400).optional().describe('`nextCursor` of the previous page: the listing continues as of the same instant'),
  format: z.enum(['json', 'csv']).default('json').describe('`csv` for a spreadsheet-ready download of one page; the next page’s cursor is in `X-Next-Cursor`'),
});

const deadlineItem = z.object({
  referralId: z.string(),
  deadlineId: z.string(),
  kind: deadlineKindSchema,
  clock: z.string().describe('The clock rule that computed `dueAt`'),
  measureId: z.string().nullable().describe('The measure it belongs to; null for obligations of the case (a Victims’ Code contact, a plan review)'),
  measureKind: z.string().nullable().describe('spo, dvpo, bail, mappa or disclosure_scheme, when known'),
  owner: z.string().describe('The role that must act; a missed deadline’s alert is addressed to it'),
  triggerAt: z.string(),
  dueAt: z.string(),
  warnAt: z.string().nullable(),
  warnedAt: z.string().nullable(),
  status: z.enum(['open', 'missed', 'met', 'cancelled', 'expired']).describe('How the clock stands'),
  overdue: z.boolean().describe('Unmet and past its due time, as of `asOf`'),
  missedAt: z.string().nullable().describe('When it was reported missed (kept when met late)'),
  closedAt: z.string().nullable().describe('When what met, cancelled or expired it happened'),
  late: z.boolean().describe('Met after its due time'),
  version: z.number().int().describe('A moved clock keeps its id with the next version'),
  problemBehaviour: z.string().nullable(),
  stage: z.string().nullable(),
  assigneeSub: z.string().nullable().describe('The case’s assignee (staff `sub`)'),
  ...caseContextShape,
});

const deadlinesReply = z.object({
  asOf: z.string().describe('The instant the listing is as of (a cursor keeps it)'),
  items: z.array(deadlineItem),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
});

/** A listing's instant and where it resumes: from the cursor, which must be one this route gave. */
function startOf(cursor: string | undefined, now: Date): Pick<DeadlineListFilter, 'asOf' | 'after'> {
  if (cursor === undefined) return { asOf: now.toISOString() };
  const after = decodeDeadlineCursor(cursor);
  if (!after) throw new ValidationError('Not a cursor of this list', [{ path: '/cursor', message: 'use nextCursor as given' }]);
  return { asOf: after.asOf, after };
}

export const deadlineRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  /**
   * A page of rows the caller may read. Staff who read every referral page straight through the index; others (a
   * partner agency) get each row checked on its referral, reading on until the page is full, so a page still holds
   * `limit` rows they may see and the cursor stays a keyset one.
   */
  async function readablePage(request: FastifyRequest, filter: DeadlineListFilter): Promise<{ rows: DeadlineListRow[]; more: boolean }> {
    const principal = requirePrincipal(request);
    if (readsAll(deps, principal)) return listDeadlines(deps.readModels, filter);
    const verdicts = new Map<string, boolean>();
    const readable = async (referralId: string) => {
      let allowed = verdicts.get(referralId);
      if (allowed === undefined) {
        const loaded = await deps.commands.load(referralId);
        allowed = loaded !== undefined && mayRead(deps, principal, loaded.view);
        verdicts.set(referralId, allowed);
      }
      return allowed;
    };
    const rows: DeadlineListRow[] = [];
    let after = filter.after;
    for (;;) {
      const page = listDeadlines(deps.readModels, { ...filter, ...(after ? { after } : {}) });
      for (const row of page.rows) {
        if (!(await readable(row.referralId))) continue;
        if (rows.length === filter.limit) return { rows, more: true };
        rows.push(row);
      }
      if (!page.more) return { rows, more: false };
      after = deadlineCursorAfter(page.rows.at(-1)!, filter.asOf);
    }
  }

  typed.get(
    '/v1/deadlines',
    {
      config: { access: { staff: personalDataReaders } },
      schema: {
        tags: ['read models'],
        summary: 'Statutory and plan deadlines across the caseload: overdue first, then soonest due (no personal data)',
        description:
          'Each clock of each referral the caller may read: SPO notification, DVPO hearing, end of bail, MAPPA review, disclosure decision, ' +
          'Victims’ Code contact, plan review, end of an order. Pages by keyset: pass `nextCursor` as `cursor`; a listing stays as of ' +
          'the instant of its first page (`asOf`), so a clock falling overdue meanwhile is neither repeated nor skipped.',
        security: [{ bearer: [] }],
        querystring: deadlinesQuery,
        response: { 200: deadlinesReply, ...commonProblems },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const start = startOf(q.cursor, deps.now());
      const filter: DeadlineListFilter = {
        ...start,
        ...(q.status ? { status: q.status } : {}),
        dueUntil: new Date(Date.parse(start.asOf) + q.within).toISOString(),
        ...(q.owner ? { owner: q.owner } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.referralId ? { referralId: q.referralId } : {}),
        limit: q.limit,
      };
      const { rows, more } = await readablePage(request, filter);
      const last = rows.at(-1);
      const nextCursor = more && last ? encodeDeadlineCursor(deadlineCursorAfter(last, start.asOf)) : null;
      if (q.format === 'csv') {
        // A CSV page has nowhere to say where the next one starts but a header.
        if (nextCursor) reply.header('x-next-cursor', nextCursor);
        return sendCsv(reply, `deadlines-${q.status ?? 'all'}`, toCsv(rows, deadlineCsvColumns));
      }
      return { asOf: start.asOf, items: rows, nextCursor };
    },
  );
};
