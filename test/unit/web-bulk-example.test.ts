import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../web/src/api/channels.js';
import { exampleCsv } from '../../web/src/pages/publishing/BulkImport.js';

const channel = (handle: string) => ({ id: 'acc-1', network: 'feed', displayName: 'Feed', handle }) as Channel;

describe('the bulk-scheduling example file', () => {
  it('is written by the one CSV writer: CRLF records, quoted commas and quotes, the header the importer reads', () => {
    const csv = exampleCsv([channel('shop.example')], 'Asia/Tokyo');
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(['account', 'time', 'text', 'campaign']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['shop.example', 'shop.example']);
    expect(rows[2]![2]).toBe('Lunch special, "two for one", until 2 pm.');
  });

  it('keeps an account name that looks like a formula as text, line breaks included', () => {
    const csv = exampleCsv([channel('=HYPERLINK("https://evil.example")\n+1')], 'Asia/Tokyo');
    expect(csv.split(/\r\n|\r|\n/).filter((line) => /^"?[=+\-@\t]/.test(line))).toEqual([]);
    expect((parse(csv) as string[][])[1]![0]).toBe(`'=HYPERLINK("https://evil.example")\n'+1`);
  });
});
