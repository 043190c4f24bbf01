/**
 * A page of the research extract read from its read model (./projection.ts): the page's cases are the next rows of
 * the extract's order after the cursor (month of receipt, then case pseudonym), a range read of one index, and
 * their rows are those rendered from their folds when the folds changed (./projection.ts): the text of the rows
 * the log's builder builds. The same page, cursor for cursor, as `readResearchExtractPage` over the log
 * (tests/research/extract-model.spec.ts).
 */
import type Database from 'better-sqlite3';
import { ValidationError } from '@hru/events';
import type { ResearchExtractPage } from '@hru/application';
import { pseudonymiser, renderedPage, researchDictionary, type ResearchPeriod, type ResearchRow } from '@hru/workflows';
import { readCheckpoint } from '../framework/checkpoints.js';
import { statement } from '../framework/statements.js';
import { RESEARCH_PROJECTION, RESEARCH_VERSION } from './schema.js';

export interface ResearchModelPageOptions {
  period: ResearchPeriod;
  /** The pseudonym key the extract is asked with: the model answers only if its rows were made with it. */
  key: Uint8Array;
  limit: number;
  cursor?: string | undefined;
}

const CURSOR = /^([0-9]{4}-[0-9]{2})\|(c-[0-9a-f]{16})$/;

/** A page as the model stores it: its rows as JSON texts, in the extract's order (the route joins them). */
export interface ResearchExtractTextPage {
  period: ResearchPeriod;
  keyId: string;
  /** Each case's row, as JSON. */
  cases: string[];
  /** Each intervention's row, as JSON. */
  interventions: string[];
  nextCursor: string | null;
}

/**
 * The page's rows as stored, or undefined when this database keeps no research model of this version made with the
 * key (the projection does not run here, has no case yet, is being rebuilt from an earlier version, or its rows
 * were made with another key: the caller reads the log instead).
 */
export function researchExtractTextFromModel(db: Database.Database, options: ResearchModelPageOptions): ResearchExtractTextPage | undefined {
  const after = options.cursor === undefined ? undefined : CURSOR.exec(options.cursor);
  if (options.cursor !== undefined && !after) throw new ValidationError('Not a cursor of this extract', [{ path: '/cursor', message: 'use nextCursor as given' }]);
  const { keyId } = pseudonymiser(options.key);
  // An earlier version's tables serve until its rebuild swaps in, without the rendered rows: the log answers meanwhile.
  if (readCheckpoint(db, RESEARCH_PROJECTION)?.version !== RESEARCH_VERSION) return undefined;
  const made = statement<[], { key_id: string }>(db, 'SELECT key_id FROM research_key WHERE id = 1').get();
  if (made?.key_id !== keyId) return undefined;
  // One row past the page says whether another follows.
  const rows = statement<[string, string, string, string, number], { case_pseudonym: string; received_month: string; case_row: string; intervention_rows: string }>(
    db,
    `SELECT case_pseudonym, received_month, case_row, intervention_rows FROM research_cases
     WHERE received_month BETWEEN ? AND ? AND (received_month, case_pseudonym) > (?, ?)
     ORDER BY received_month, case_pseudonym LIMIT ?`,
  ).all(options.period.from, options.period.to, after?.[1] ?? '', after?.[2] ?? '', options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  const { cases, interventions } = renderedPage(page.map((r) => ({ casePseudonym: r.case_pseudonym, caseRow: r.case_row, interventionLines: r.intervention_rows })));
  return {
    period: options.period,
    keyId,
    cases,
    interventions,
    nextCursor: rows.length > options.limit && last ? `${last.received_month}|${last.case_pseudonym}` : null,
  };
}

/** The page with its rows as values and the data dictionary, as the log's reader gives it (for CSV and comparison). */
export function researchExtractPageFromModel(db: Database.Database, options: ResearchModelPageOptions): ResearchExtractPage | undefined {
  const text = researchExtractTextFromModel(db, options);
  if (!text) return undefined;
  const parse = (row: string) => JSON.parse(row) as ResearchRow;
  return {
    period: text.period,
    keyId: text.keyId,
    dictionary: researchDictionary(),
    cases: text.cases.map(parse),
    interventions: text.interventions.map(parse),
    nextCursor: text.nextCursor,
  };
}
