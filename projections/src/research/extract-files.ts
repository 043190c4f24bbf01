/**
 * The research extract as a file. JSON carries the data dictionary beside the rows, so a researcher holding only
 * the file knows what each column is. CSV is one RFC 4180 table with one header and a `row_type` column (`case`
 * or `intervention`): a file with two header lines is no longer RFC 4180 and most readers would take the second
 * header for data, while one table loads anywhere and splits with one filter. Case rows leave the intervention
 * columns empty and intervention rows fill only `case_pseudonym` and their own columns.
 */
import { toCsv, type CsvColumn } from '../framework/csv.js';

export type ResearchExtractFormat = 'csv' | 'json';

/** The extract as @hru/workflows builds it (`ResearchExtract`), by shape: the columns come from its own dictionary. */
type Cell = string | number | boolean | null | readonly string[];
type Row = Record<string, Cell>;
export interface ResearchExtractLike {
  period: { from: string; to: string };
  keyId: string;
  dictionary: { cases: readonly { column: string }[]; interventions: readonly { column: string }[] };
  cases: readonly Row[];
  interventions: readonly Row[];
}

type TypedRow = Row & { row_type: 'case' | 'intervention' };

/** Lists are `;`-separated in a cell (no pseudonym, code or enumerated value holds a `;`). */
const csvValue = (value: Cell | undefined) => (Array.isArray(value) ? value.join(';') : (value as string | number | boolean | null | undefined));

function csvColumnsOf(dictionary: ResearchExtractLike['dictionary']): CsvColumn<TypedRow>[] {
  const headers = [
    'row_type',
    ...dictionary.cases.map((c) => c.column),
    ...dictionary.interventions.map((c) => c.column).filter((column) => !dictionary.cases.some((c) => c.column === column)),
  ];
  return headers.map((header) => ({ header, value: (row) => csvValue(row[header]) }));
}

export function researchExtractCsv(extract: ResearchExtractLike): string {
  const rows: TypedRow[] = [
    ...extract.cases.map((row) => ({ ...row, row_type: 'case' as const })),
    ...extract.interventions.map((row) => ({ ...row, row_type: 'intervention' as const })),
  ];
  return toCsv(rows, csvColumnsOf(extract.dictionary));
}

export function researchExtractJson(extract: ResearchExtractLike): string {
  const { period, keyId, dictionary, cases, interventions } = extract;
  return JSON.stringify({ period, keyId, dictionary, cases, interventions }, null, 2) + '\n';
}

export function renderResearchExtract(extract: ResearchExtractLike, format: ResearchExtractFormat): string {
  return format === 'csv' ? researchExtractCsv(extract) : researchExtractJson(extract);
}
