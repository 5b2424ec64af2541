import iconv from 'iconv-lite';

/**
 * Which legacy charset undeclared, non-UTF-8 feed bytes are in. A small heuristic in place of a
 * detector package (jschardet or chardet would replace it): decode a sample with each candidate
 * and score the text by how it reads. Sequences invalid in a charset rule it out; then each
 * character counts by how plausible it is in the writing that charset serves: kana and frequent
 * kanji for Japanese, frequent hanzi for Chinese, Cyrillic words in lower case for Russian,
 * accented letters inside Latin words for Western European. Mis-decoded text reads as rare
 * ideographs, half-width katakana, symbols and mixed-script words, and scores low.
 *
 * It needs some text to go on: a few dozen Japanese or Chinese characters, or a handful of
 * accented letters inside words, tell their charset apart reliably (test/channels/feed-charset.test.ts).
 */

type Script = 'japanese' | 'chinese' | 'cyrillic' | 'latin';

/** The candidates, in the order a tie goes. */
const CANDIDATES: { charset: string; script: Script; frequent: (bytes: Buffer) => boolean }[] = [
  // JIS X 0208 level 1 kanji (the 2965 in everyday use): Shift_JIS leads 0x88–0x98, EUC-JP leads 0xB0–0xCF.
  { charset: 'shift_jis', script: 'japanese', frequent: (b) => b.length === 2 && b[0]! >= 0x88 && b[0]! <= 0x98 },
  { charset: 'euc-jp', script: 'japanese', frequent: (b) => b.length === 2 && b[0]! >= 0xb0 && b[0]! <= 0xcf },
  // GB2312's 6763 hanzi (leads 0xB0–0xF7, trails from 0xA1), not GBK's and GB18030's rare additions.
  { charset: 'gb18030', script: 'chinese', frequent: (b) => b.length === 2 && b[0]! >= 0xb0 && b[0]! <= 0xf7 && b[1]! >= 0xa1 },
  // Big5 level 1: the 5401 frequent hanzi, leads 0xA4–0xC6.
  { charset: 'big5hkscs', script: 'chinese', frequent: (b) => b.length === 2 && b[0]! >= 0xa4 && b[0]! <= 0xc6 },
  { charset: 'windows-1251', script: 'cyrillic', frequent: () => false },
  { charset: 'koi8-r', script: 'cyrillic', frequent: () => false },
  { charset: 'windows-1252', script: 'latin', frequent: () => false },
];

/** Bytes scored: plenty for a verdict, and the cost stays flat for a 10 MB feed. */
const SAMPLE_BYTES = 64 * 1024;

/** The charset the bytes most plausibly are in; windows-1252 (the web's default for unlabelled text) when nothing reads well. */
export function detectLegacyCharset(buffer: Buffer): string {
  const sample = sampleOf(buffer);
  let best = { charset: 'windows-1252', score: 0 };
  for (const candidate of CANDIDATES) {
    const score = plausibility(iconv.decode(sample, candidate.charset), candidate);
    if (score > best.score) best = { charset: candidate.charset, score };
  }
  return best.charset;
}

/** From a little before the first non-ASCII byte, cut after a byte no multibyte charset uses inside a character. */
function sampleOf(buffer: Buffer): Buffer {
  const firstHigh = buffer.findIndex((b) => b >= 0x80);
  const start = Math.max(0, firstHigh - 64);
  const window = buffer.subarray(start, start + SAMPLE_BYTES);
  if (start + SAMPLE_BYTES >= buffer.length) return window;
  const cut = Math.max(window.lastIndexOf(0x0a), window.lastIndexOf(0x20), window.lastIndexOf(0x3e));
  return cut > 0 ? window.subarray(0, cut + 1) : window;
}

const LATIN_LETTERS_BEYOND_LATIN1 = new Set([0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e]);
/** Punctuation Western text uses beyond ASCII: quotes, dashes, ellipsis, bullet, euro, guillemets, no-break space, ©, ®, °, ·. */
const LATIN_PUNCTUATION = new Set([
  0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2013, 0x2014, 0x2026, 0x2022, 0x20ac, 0xab, 0xbb, 0xa0, 0xa9, 0xae, 0xb0, 0xb7,
]);

const isAsciiLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isLatinLetter = (code: number) => (code >= 0xc0 && code <= 0xff && code !== 0xd7 && code !== 0xf7) || LATIN_LETTERS_BEYOND_LATIN1.has(code);
const isCyrillic = (code: number) => code >= 0x400 && code <= 0x4ff;
const isLowerCyrillic = (code: number) => code >= 0x430 && code <= 0x45f;

function plausibility(text: string, candidate: (typeof CANDIDATES)[number]): number {
  // Ideographs repeat: each is encoded back once to see where it sits in its charset.
  const frequent = new Map<number, boolean>();
  const isFrequent = (code: number) =>
    frequent.get(code) ?? frequent.set(code, candidate.frequent(iconv.encode(String.fromCharCode(code), candidate.charset))).get(code)!;
  let score = 0;
  // UTF-16 code units: the scripts scored are all in the BMP; a surrogate half counts as an unlikely character.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) score -= 20;
      continue;
    }
    if (code === 0xfffd) score -= 100;
    else if (code <= 0x9f) score -= 20;
    else if (code >= 0xe000 && code <= 0xf8ff) score -= 5;
    else score += scriptScore(code, i > 0 ? text.charCodeAt(i - 1) : 0, i + 1 < text.length ? text.charCodeAt(i + 1) : 0, candidate.script, isFrequent);
  }
  return score;
}

/** What one non-ASCII character adds; `before` and `after` are its neighbours' code points (0 at the ends). */
function scriptScore(code: number, before: number, after: number, script: Script, isFrequent: (code: number) => boolean): number {
  switch (script) {
    case 'japanese':
    case 'chinese': {
      const kana = code >= 0x3041 && code <= 0x30ff;
      if (kana) return script === 'japanese' ? 3 : -1;
      if (code >= 0xff61 && code <= 0xff9f) return -2; // half-width katakana: what other charsets' bytes become in Shift_JIS
      if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) return isFrequent(code) ? 2 : 0;
      if ((code >= 0x3000 && code <= 0x303f) || (code >= 0xff01 && code <= 0xff5e)) return 1; // CJK punctuation, full-width letters and digits
      return -1;
    }
    case 'cyrillic': {
      if (!isCyrillic(code)) return LATIN_PUNCTUATION.has(code) ? 0 : -1;
      if (isAsciiLetter(before) || isAsciiLetter(after)) return -2; // a word half Latin, half Cyrillic
      if (isLowerCyrillic(code)) return 2;
      // Capitals start words; a capital after a lower-case letter is a mis-decoded lower-case one.
      return isLowerCyrillic(before) ? -2 : 1;
    }
    case 'latin': {
      if (isLatinLetter(code)) return isAsciiLetter(before) || isAsciiLetter(after) ? 2 : isLatinLetter(before) || isLatinLetter(after) ? 1 : 0;
      return LATIN_PUNCTUATION.has(code) ? 0 : -1;
    }
  }
}
