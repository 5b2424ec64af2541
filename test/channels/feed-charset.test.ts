import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../src/channels/feed/charset.js';

/**
 * Any text in a charset a feed may use comes back as it was written, whichever way the feed says
 * (or does not say) what it is in. The limits, which docs/channels.md repeats:
 * - text holds characters its charset can encode, and no control characters but tab and line
 *   breaks (XML allows no others; ISO-8859-1's C1 controls are read as windows-1252's letters,
 *   as browsers do);
 * - a legacy charset nothing declares must be detected, which needs text to go on: 20 or more
 *   Japanese characters; Western text with 4 or more accented letters inside words that also hold unaccented letters ("àà" alone reads as well as Russian "аа").
 */

type Charset = 'utf-8' | 'shift_jis' | 'euc-jp' | 'iso-8859-1' | 'windows-1252';
const LABELS: Record<Charset, string> = {
  'utf-8': 'UTF-8',
  shift_jis: 'Shift_JIS',
  'euc-jp': 'EUC-JP',
  'iso-8859-1': 'ISO-8859-1',
  'windows-1252': 'windows-1252',
};

/** Every character the charset encodes as `sequences`, kept when it decodes back to exactly those bytes. */
function repertoire(charset: Charset, sequences: number[][]): string[] {
  const chars = new Set<string>();
  for (const bytes of sequences) {
    const char = iconv.decode(Buffer.from(bytes), charset);
    if ([...char].length === 1 && char !== '\uFFFD' && iconv.encode(char, charset).equals(Buffer.from(bytes))) chars.add(char);
  }
  return [...chars];
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const printableAscii = [...range(0x20, 0x7e), 0x09, 0x0a].map((b) => [b]);
const pairs = (leads: number[], trails: number[]) => leads.flatMap((lead) => trails.map((trail) => [lead, trail]));

const REPERTOIRES: Record<Exclude<Charset, 'utf-8'>, string[]> = {
  shift_jis: repertoire('shift_jis', [
    ...printableAscii,
    ...range(0xa1, 0xdf).map((b) => [b]),
    ...pairs([...range(0x81, 0x9f), ...range(0xe0, 0xfc)], [...range(0x40, 0x7e), ...range(0x80, 0xfc)]),
  ]),
  'euc-jp': repertoire('euc-jp', [...printableAscii, ...range(0xa1, 0xdf).map((b) => [0x8e, b]), ...pairs(range(0xa1, 0xfe), range(0xa1, 0xfe))]),
  'iso-8859-1': repertoire('iso-8859-1', [...printableAscii, ...range(0xa0, 0xff).map((b) => [b])]),
  'windows-1252': repertoire('windows-1252', [...printableAscii, ...range(0x80, 0xff).map((b) => [b])]),
};

const textIn = (charset: Charset, maxLength = 200): fc.Arbitrary<string> =>
  charset === 'utf-8'
    ? fc.string({ unit: 'grapheme', maxLength }).map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, ''))
    : fc.string({ unit: fc.constantFrom(...REPERTOIRES[charset]), maxLength });

type Declaration = 'none' | 'http' | 'xml' | 'http and xml' | 'bom';
const declarations: Declaration[] = ['none', 'http', 'xml', 'http and xml'];

/** A feed document around the text, in the charset, declared as asked. */
function serve(text: string, charset: Charset, declaration: Declaration): { document: string; bytes: Buffer; contentType: string } {
  const label = LABELS[charset];
  const prolog = declaration === 'xml' || declaration === 'http and xml' ? `<?xml version="1.0" encoding="${label}"?>` : '<?xml version="1.0"?>';
  const document = `${prolog}<rss version="2.0"><channel><title>${text}</title><item><guid>1</guid><description>${text}</description></item></channel></rss>`;
  const encoded = iconv.encode(document, charset);
  const bytes = declaration === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encoded]) : encoded;
  return {
    document,
    bytes,
    contentType: declaration === 'http' || declaration === 'http and xml' ? `application/rss+xml; charset=${label}` : 'application/rss+xml',
  };
}

describe('feed charsets', () => {
  for (const charset of Object.keys(LABELS) as Charset[]) {
    const ways = charset === 'utf-8' ? [...declarations, 'bom' as const] : declarations.filter((d) => d !== 'none');
    it(`${charset}: any text comes back equal, declared ${ways.join(', ')}`, () => {
      fc.assert(
        fc.property(textIn(charset), fc.constantFrom(...ways), (text, declaration) => {
          const { document, bytes, contentType } = serve(text, charset, declaration);
          const decoded = decodeFeedBytes(bytes, contentType);
          expect(decoded.text).toBe(document);
          expect(decoded.note).toBeNull();
        }),
        { numRuns: 300 },
      );
    });
  }

  // Text like what feeds carry: Japanese sentences; Western words with accented letters inside them.
  const kana = fc.constantFrom(
    ...'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんがぎぐげござじずぜぞだでどばびぶべぼぱぴぷぺぽっゃゅょアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロワンガギグゲゴザジズゼゾダデドバビブベボパピプペポッャュョー',
  );
  const kanji = fc.constantFrom(
    ...'日本語会社時間年月人今事自分気出行見方新情報東京大学先生電話世界問題意味理由経済政治社会文化技術開発障害回復記事通信写真映画音楽旅行料理天気',
  );
  const punctuation = fc.constantFrom('、', '。', '「', '」', '！', '？', '　', ' ', '・');
  const japanese = fc
    .array(
      fc.oneof(
        { arbitrary: fc.string({ unit: kana, minLength: 1, maxLength: 6 }), weight: 3 },
        { arbitrary: fc.string({ unit: kanji, minLength: 1, maxLength: 3 }), weight: 2 },
        { arbitrary: punctuation, weight: 1 },
        { arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), weight: 1 },
      ),
      { minLength: 1, maxLength: 60 },
    )
    .map((parts) => parts.join(''))
    .filter((text) => [...text].filter((c) => c > '\u3000').length >= 20);
  const accented = fc.constantFrom(...'àáâãäçèéêëìíîïñòóôõöùúûüýÿßÀÁÉÍÓÚÇÑÖÜ');
  const latinWord = fc.oneof(
    fc.stringMatching(/^[A-Za-z]{1,10}$/),
    fc
      .tuple(fc.stringMatching(/^[a-zA-Z]{1,6}$/), fc.string({ unit: accented, minLength: 1, maxLength: 2 }), fc.stringMatching(/^[a-z]{0,6}$/))
      .map(([a, b, c]) => a + b + c),
  );
  const western = fc
    .array(fc.tuple(latinWord, fc.constantFrom(' ', ' ', ' ', ', ', '. ', ' – ', ' « ', ' » ')), { minLength: 1, maxLength: 60 })
    .map((words) => words.map(([w, s]) => w + s).join(''))
    .filter((text) => (text.match(/[À-ÿ]/g) ?? []).length >= 4);

  const detectable: [Charset, fc.Arbitrary<string>][] = [
    ['shift_jis', japanese],
    ['euc-jp', japanese],
    ['iso-8859-1', western.map((t) => t.replace(/–/g, '-'))],
    ['windows-1252', western],
  ];
  for (const [charset, text] of detectable) {
    it(`${charset}: long enough text comes back equal with nothing declared, and the note says it was detected`, () => {
      fc.assert(
        fc.property(text, (value) => {
          const { document, bytes, contentType } = serve(value, charset, 'none');
          const decoded = decodeFeedBytes(bytes, contentType);
          expect(decoded.text).toBe(document);
          expect(decoded.note).toEqual({ charset: decoded.charset, reason: 'undeclared_not_utf8', declared: null, declaredIn: null });
        }),
        { numRuns: 200 },
      );
    });
  }
});
