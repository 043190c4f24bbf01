/**
 * The pseudonymised research extract (the unit's "CAS forms" for longitudinal research), built from a referral
 * log read in order: one row per case received in the period, one per intervention of those cases. Pure: the
 * caller reads the log (application/src/research) and hands over the key.
 */
import { z } from 'zod';
import type { ReferralEvent } from '@hru/events';
import { foldCase, monthOf, startCase, type FoldedCase } from './case-fold.js';
import { caseColumns, interventionColumns, researchDictionary, type Cell, type Column, type DictionaryEntry } from './columns.js';
import type { Pseudonymiser } from './pseudonyms.js';

/** The longest period one extract may span: the reply is built in memory, and a decade is a long follow-up. */
export const MAX_EXTRACT_YEARS = 10;

export const researchMonthSchema = z
  .string()
  .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM, e.g. 2026-01')
  .describe('A month, YYYY-MM (UTC)');

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/**
 * The period of an extract: cases whose referral the unit received from the first day of `from` to the last day
 * of `to` (UTC), both inclusive. Each case comes with everything recorded on it since, whenever that was, so a
 * cohort can be followed for years. The fields and their check are exported apart, for schemas that add fields.
 */
export const researchPeriodFields = {
  from: researchMonthSchema.describe('First month of receipt, inclusive (YYYY-MM, UTC)'),
  to: researchMonthSchema.describe('Last month of receipt, inclusive (YYYY-MM, UTC)'),
};

export function checkResearchPeriod(period: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (period.from > period.to) ctx.addIssue({ code: 'custom', message: '`from` must not be after `to`', path: ['to'] });
  else if (monthIndex(period.to) - monthIndex(period.from) >= MAX_EXTRACT_YEARS * 12) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_EXTRACT_YEARS} years (${MAX_EXTRACT_YEARS * 12} months) in one extract`, path: ['to'] });
  }
}

export const researchPeriodSchema = z.object(researchPeriodFields).superRefine(checkResearchPeriod);
export type ResearchPeriod = z.infer<typeof researchPeriodSchema>;

export type ResearchRow = Record<string, Cell>;

export interface ResearchExtract {
  period: ResearchPeriod;
  /** The pseudonym key's public fingerprint: pseudonyms of two extracts compare only when it is the same. */
  keyId: string;
  dictionary: { cases: DictionaryEntry[]; interventions: DictionaryEntry[] };
  cases: ResearchRow[];
  interventions: ResearchRow[];
}

/** A row: each column's value of the source, in the columns' order (the order of the keys in its JSON). */
export function rowOf<S>(columns: readonly Column<S>[], source: S, pseudonyms: Pseudonymiser): ResearchRow {
  const row: ResearchRow = {};
  for (const column of columns) row[column.column] = column.value(source, pseudonyms);
  return row;
}

export class ResearchExtractBuilder {
  private readonly cases = new Map<string, FoldedCase>();

  constructor(private readonly period: ResearchPeriod) {}

  /** Events in log order. A case starts with its `ReferralReceived` in the period; events of other referrals are passed over. */
  add(event: ReferralEvent): void {
    if (event.type === 'ReferralReceived') {
      const month = monthOf(event.metadata.occurredAt);
      if (month >= this.period.from && month <= this.period.to) this.cases.set(event.data.referralId, startCase(event));
      return;
    }
    const folded = this.cases.get(event.data.referralId);
    if (folded) foldCase(folded, event);
  }

  get caseCount(): number {
    return this.cases.size;
  }

  /** The rows of the cases received in the period (see `buildResearchExtract`). */
  build(pseudonyms: Pseudonymiser): ResearchExtract {
    return buildResearchExtract(this.period, [...this.cases.values()], pseudonyms);
  }
}

/**
 * The rows of folded cases, ordered by month then pseudonym, never by time: the order says nothing finer than the
 * month, and nothing about the ids behind the pseudonyms. The log's builder and the research read model (whose
 * cases are folded already, their ids pseudonymised: ./pseudonymised-fold.ts) both build their rows here.
 */
export function buildResearchExtract(period: ResearchPeriod, folded: readonly FoldedCase[], pseudonyms: Pseudonymiser): ResearchExtract {
  const cases = folded.map((c) => ({ folded: c, row: rowOf(caseColumns, c, pseudonyms) }));
  const byMonthThenPseudonym = (a: ResearchRow, b: ResearchRow, month: string) =>
    String(a[month]).localeCompare(String(b[month])) || String(a.case_pseudonym).localeCompare(String(b.case_pseudonym));
  cases.sort((a, b) => byMonthThenPseudonym(a.row, b.row, 'received_month'));
  const interventions = cases
    .flatMap(({ folded }) => folded.interventions.map((intervention) => rowOf(interventionColumns, { case: folded, intervention }, pseudonyms)))
    .sort((a, b) => byMonthThenPseudonym(a, b, 'intervention_month') || String(a.intervention_kind).localeCompare(String(b.intervention_kind)));
  return { period, keyId: pseudonyms.keyId, dictionary: researchDictionary(), cases: cases.map((c) => c.row), interventions };
}
