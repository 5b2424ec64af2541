import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseFormulas, spreadsheetCsv } from '../../core/spreadsheet-csv.js';

/** What a spreadsheet reads as the start of a formula (and their full-width forms). */
const FORMULA = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Cells made mostly of the characters that matter here, and sometimes of anything at all. */
const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' ', 'a', '1', '＝', '＋', '－', '＠', '漢', 'é'), maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);
const table = fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }));

describe('CSV for spreadsheets', () => {
  it('round-trips every field through csv-parse, changed only by the apostrophes that keep formulas text', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const parsed = parse(spreadsheetCsv(rows)) as string[][];
        expect(parsed).toEqual(rows.map((row) => row.map(neutraliseFormulas)));
        for (const [r, row] of rows.entries()) {
          for (const [c, value] of row.entries()) expect(parsed[r]![c]!.replaceAll("'", '')).toBe(value.replaceAll("'", ''));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('lets no physical line of the file, nor any line inside a field, start with a formula character', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const csv = spreadsheetCsv(rows);
        // A naive reader splits on any line break; a quote may open the line's field.
        for (const line of csv.split(/\r\n|\r|\n/)) expect(line.replace(/^"/, '')).not.toMatch(FORMULA);
        for (const field of (parse(csv) as string[][]).flat()) {
          for (const line of field.split(/\r\n|\r|\n/)) expect(line).not.toMatch(FORMULA);
          expect(field).not.toMatch(FORMULA);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes a field with a lone CR or LF, a quote or a comma, and nothing else', () => {
    expect(spreadsheetCsv([['ACME\n+1+1', 'a\rb', 'say "hi"', 'a,b', 'plain']])).toBe(`"ACME\n'+1+1","a\rb","say ""hi""","a,b",plain\r\n`);
    expect(neutraliseFormulas('=1+1\r\n-2\n\r@3')).toBe("'=1+1\r\n'-2\n'\r'@3");
    expect(neutraliseFormulas('＝SUM(A1)')).toBe("'＝SUM(A1)");
    expect(neutraliseFormulas("it's 3-2 @ home")).toBe("it's 3-2 @ home");
  });
});
