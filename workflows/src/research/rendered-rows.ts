/**
 * A case's extract rows as JSON text, rendered once when its fold changes rather than each time a page is read.
 * The research read model stores them beside the fold, so a page of 1,000 cases is string joins: at a national
 * year the page's folds parsed, their rows built and the page stringified cost most of the route's 45–100 ms
 * (issue #20's target is 100 ms at p99). The text is exactly what `JSON.stringify` writes for the rows
 * `buildResearchExtract` builds, in the same order (tests/research/extract-model.spec.ts compares them).
 */
import type { FoldedCase } from './case-fold.js';
import { caseColumns, interventionColumns } from './columns.js';
import { rowOf } from './extract.js';
import type { Pseudonymiser } from './pseudonyms.js';

export interface RenderedCase {
  /** The case's row, as JSON. */
  caseRow: string;
  /**
   * The case's intervention rows, one a line in the fold's order, each `month<TAB>kind<TAB>row as JSON`: the sort
   * keys of the extract's intervention order ahead of the row. JSON text holds no raw tab or newline (they are
   * escaped in strings), so the separators cannot occur inside a row.
   */
  interventionLines: string;
}

export function renderCase(folded: FoldedCase, pseudonyms: Pseudonymiser): RenderedCase {
  const lines = folded.interventions.map((intervention) => {
    const row = rowOf(interventionColumns, { case: folded, intervention }, pseudonyms);
    return `${String(row.intervention_month)}\t${String(row.intervention_kind)}\t${JSON.stringify(row)}`;
  });
  return { caseRow: JSON.stringify(rowOf(caseColumns, folded, pseudonyms)), interventionLines: lines.join('\n') };
}

export interface StoredRenderedCase extends RenderedCase {
  casePseudonym: string;
}

/**
 * A page's rows as JSON texts from its cases' rendered rows, the cases given in the extract's order (month of
 * receipt, then case pseudonym). Interventions take the order `buildResearchExtract` gives them: month, then case
 * pseudonym, then kind, compared as it compares them, ties kept in the order of the cases and of each fold.
 */
export function renderedPage(cases: readonly StoredRenderedCase[]): { cases: string[]; interventions: string[] } {
  const interventions: { month: string; casePseudonym: string; kind: string; row: string }[] = [];
  for (const c of cases) {
    if (c.interventionLines === '') continue;
    for (const line of c.interventionLines.split('\n')) {
      const first = line.indexOf('\t');
      const second = line.indexOf('\t', first + 1);
      interventions.push({ month: line.slice(0, first), kind: line.slice(first + 1, second), casePseudonym: c.casePseudonym, row: line.slice(second + 1) });
    }
  }
  interventions.sort((a, b) => a.month.localeCompare(b.month) || a.casePseudonym.localeCompare(b.casePseudonym) || a.kind.localeCompare(b.kind));
  return { cases: cases.map((c) => c.caseRow), interventions: interventions.map((i) => i.row) };
}
