/**
 * What makes a spreadsheet read text as a formula: `=`, `+`, `-`, `@`, tab or carriage return
 * first (OWASP's list), and their full-width forms, which some spreadsheets fold to ASCII.
 */
const FORMULA_START = '=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20';

/** The start of the cell and every position after a line break, where a formula character follows (positions only, so `\r=` finds both). */
const UNSAFE_LINE_START = new RegExp(`(?:^|(?<=[\\r\\n]))(?=[${FORMULA_START}])`, 'g');

/**
 * A cell kept as text: an apostrophe before a formula character at its start **and after every
 * line break inside it**, since tools that read a file line by line (and some importers) see
 * `ACME\n+1+1` as a line starting with `+1+1`. Names and notes come from networks and feeds.
 */
export const neutraliseFormulas = (cell: string): string => cell.replace(UNSAFE_LINE_START, "'");

/** RFC 4180: a cell with a comma, quote, CR or LF is quoted, its quotes doubled. */
const quoted = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/**
 * Every CSV Chorus writes for people to open (contacts export, the bulk-scheduling example):
 * each cell neutralised, a cell with a comma, quote, CR or LF quoted, records ended by CRLF as
 * RFC 4180 says. Browser-safe, with no Node built-ins (csv-stringify needs Buffer): the web app
 * writes its files with it too.
 */
export function spreadsheetCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map((cell) => quoted(neutraliseFormulas(cell))).join(',') + '\r\n').join('');
}
