/**
 * A page of the research extract read from its read model (./projection.ts): the page's cases are the next rows of
 * the extract's order after the cursor (month of receipt, then case pseudonym), a range read of one index, and
 * their rows are built from their stored folds exactly as the log's builder builds them. The same page, cursor for
 * cursor, as `readResearchExtractPage` over the log (tests/research/extract-model.spec.ts).
 */
import type Database from 'better-sqlite3';
import { ValidationError } from '@hru/events';
import type { ResearchExtractPage } from '@hru/application';
import { buildResearchExtract, foldFromJson, pseudonymiser, presetPseudonyms, type ResearchPeriod } from '@hru/workflows';
import { readCheckpoint } from '../framework/checkpoints.js';
import { statement } from '../framework/statements.js';
import { RESEARCH_PROJECTION } from './schema.js';

export interface ResearchModelPageOptions {
  period: ResearchPeriod;
  /** The pseudonym key the extract is asked with: the model answers only if its rows were made with it. */
  key: Uint8Array;
  limit: number;
  cursor?: string | undefined;
}

const CURSOR = /^([0-9]{4}-[0-9]{2})\|(c-[0-9a-f]{16})$/;

/**
 * The page, or undefined when this database keeps no research model made with the key (the projection does not
 * run here, has no case yet, or its rows were made with another key: the caller reads the log instead).
 */
export function researchExtractPageFromModel(db: Database.Database, options: ResearchModelPageOptions): ResearchExtractPage | undefined {
  const after = options.cursor === undefined ? undefined : CURSOR.exec(options.cursor);
  if (options.cursor !== undefined && !after) throw new ValidationError('Not a cursor of this extract', [{ path: '/cursor', message: 'use nextCursor as given' }]);
  const { keyId } = pseudonymiser(options.key);
  if (!readCheckpoint(db, RESEARCH_PROJECTION)) return undefined;
  const made = statement<[], { key_id: string }>(db, 'SELECT key_id FROM research_key WHERE id = 1').get();
  if (made?.key_id !== keyId) return undefined;
  // One row past the page says whether another follows.
  const rows = statement<[string, string, string, string, number], { case_pseudonym: string; received_month: string; fold: string }>(
    db,
    `SELECT case_pseudonym, received_month, fold FROM research_cases
     WHERE received_month BETWEEN ? AND ? AND (received_month, case_pseudonym) > (?, ?)
     ORDER BY received_month, case_pseudonym LIMIT ?`,
  ).all(options.period.from, options.period.to, after?.[1] ?? '', after?.[2] ?? '', options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  const extract = buildResearchExtract(
    options.period,
    page.map((r) => foldFromJson(r.fold)),
    presetPseudonyms(keyId),
  );
  return { ...extract, nextCursor: rows.length > options.limit && last ? `${last.received_month}|${last.case_pseudonym}` : null };
}
