/** CSV (RFC 4180) of query rows, for `?format=csv`. */

export interface CsvColumn<R> {
  header: string;
  value(row: R): string | number | boolean | null | undefined;
}

/** A cell that a spreadsheet would run as a formula is prefixed with `'` (CSV injection). */
function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<R>(rows: readonly R[], columns: readonly CsvColumn<R>[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Columns straight from the keys of flat rows, in the order given. */
export function columnsOf<R extends Record<string, unknown>>(keys: readonly (keyof R & string)[]): CsvColumn<R>[] {
  return keys.map((key) => ({ header: key, value: (row: R) => row[key] as string | number | boolean | null | undefined }));
}
