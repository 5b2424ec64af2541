import iconv from 'iconv-lite';
import { detectLegacyCharset } from './charset-detection.js';

/** Where a feed said which charset it is in. */
export type CharsetDeclaredIn = 'http' | 'xml';

/**
 * Why Chorus decoded a feed with a charset it did not declare, or declared but not as the one
 * used: shown with the channel, so a wrong label on the server is visible, not silent mojibake.
 * - `undeclared_not_utf8`: nothing declared and the bytes are not UTF-8, so the charset was detected;
 * - `declared_contradicted`: the declared charset does not fit the bytes (invalid in it);
 * - `declared_unknown`: the declared label names no charset Chorus knows;
 * - `utf16_without_bom`: the bytes are UTF-16 (every other byte NUL), whatever was declared.
 */
export interface CharsetNote {
  charset: string;
  reason: 'undeclared_not_utf8' | 'declared_contradicted' | 'declared_unknown' | 'utf16_without_bom';
  declared: string | null;
  declaredIn: CharsetDeclaredIn | null;
}

export interface DecodedFeed {
  text: string;
  /** The charset the text was decoded with (iconv-lite's name). */
  charset: string;
  /** Set when that charset is not simply what the feed declared (or UTF-8 with nothing declared). */
  note: CharsetNote | null;
}

/**
 * Turns a feed's bytes into text in the order browsers and feed readers use: byte-order mark,
 * then the HTTP charset, then the XML declaration, then UTF-8. A declaration the bytes contradict
 * (invalid in it) gives way to UTF-8 when the bytes are valid UTF-8, else to the next declaration,
 * else to detection among the legacy charsets feeds still use. Never throws.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType: string | null): DecodedFeed {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = byteOrderMark(buffer);
  if (bom) return { text: iconv.decode(buffer.subarray(bom.length), bom.charset), charset: bom.charset, note: null };
  const declarations = (
    [
      { declaredIn: 'http', declared: charsetFromContentType(contentType) },
      { declaredIn: 'xml', declared: charsetFromXmlDeclaration(buffer) },
    ] as const
  ).filter((d): d is { declaredIn: CharsetDeclaredIn; declared: string } => d.declared !== null);

  // XML cannot hold NUL, so a NUL in every other byte is UTF-16 whatever the label says (XML 1.0, appendix F).
  const utf16 = utf16Order(buffer);
  if (utf16) {
    const text = iconv.decode(buffer, utf16);
    // The XML declaration is itself in UTF-16: read it from the text.
    const declared =
      declarations.find((d) => d.declaredIn === 'http') ??
      (xmlDeclaration(text) === null ? undefined : { declaredIn: 'xml' as const, declared: xmlDeclaration(text)! });
    const agrees = declared !== undefined && resolveLabel(declared.declared) === 'utf-16';
    return {
      text,
      charset: utf16,
      note: agrees ? null : { charset: utf16, reason: 'utf16_without_bom', declared: declared?.declared ?? null, declaredIn: declared?.declaredIn ?? null },
    };
  }

  let rejected: Omit<CharsetNote, 'charset'> | null = null;
  const noteFor = (charset: string): CharsetNote | null => (rejected ? { charset, ...rejected } : null);
  for (const { declared, declaredIn } of declarations) {
    const charset = resolveLabel(declared);
    if (charset === null) {
      rejected ??= { reason: 'declared_unknown', declared, declaredIn };
      continue;
    }
    // Declared UTF-16 but no BOM and no NULs: it is not UTF-16.
    const text = charset === 'utf-16' ? null : decodeStrictly(buffer, charset);
    if (text !== null) return { text, charset, note: noteFor(charset) };
    if (validUtf8(buffer))
      return { text: buffer.toString('utf8'), charset: 'utf-8', note: { charset: 'utf-8', reason: 'declared_contradicted', declared, declaredIn } };
    rejected ??= { reason: 'declared_contradicted', declared, declaredIn };
  }
  if (validUtf8(buffer)) return { text: buffer.toString('utf8'), charset: 'utf-8', note: noteFor('utf-8') };
  const detected = detectLegacyCharset(buffer);
  // Detection agreeing with a declaration whose bytes had a few invalid sequences: the label was right.
  const agreed = rejected?.reason === 'declared_contradicted' && resolveLabel(rejected.declared!) === detected;
  return {
    text: iconv.decode(buffer, detected),
    charset: detected,
    note: agreed ? null : (noteFor(detected) ?? { charset: detected, reason: 'undeclared_not_utf8', declared: null, declaredIn: null }),
  };
}

function byteOrderMark(buffer: Buffer): { charset: string; length: number } | null {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/** The charset parameter of a Content-Type, quoted with double quotes, single quotes (seen in the wild) or not at all. */
export function charsetFromContentType(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;\s]+))/i.exec(contentType ?? '');
  const label = match?.[1] ?? match?.[2] ?? match?.[3];
  return label?.trim() ? label.trim().toLowerCase() : null;
}

/** The encoding an XML declaration names; ASCII-compatible bytes can be read as Latin-1 for that. */
const charsetFromXmlDeclaration = (buffer: Buffer): string | null => xmlDeclaration(buffer.subarray(0, 512).toString('latin1'));

function xmlDeclaration(head: string): string | null {
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"'>]{1,40})["']/.exec(head.slice(0, 512));
  return match?.[1]!.trim() ? match[1]!.trim().toLowerCase() : null;
}

/**
 * Labels as the WHATWG Encoding Standard reads them (what browsers do): ISO-8859-1 and ASCII mean
 * windows-1252, GB2312 means GB18030, Big5 means Big5-HKSCS, EUC-KR means windows-949. Labels that
 * are not text charsets (base64, hex) or that browsers refuse for safety (UTF-7) are unknown.
 */
const LABELS: Record<string, string> = {
  ...Object.fromEntries(['utf8', 'utf-8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8'].map((l) => [l, 'utf-8'])),
  ...Object.fromEntries(
    ['utf-16', 'utf16', 'utf-16le', 'utf-16be', 'ucs-2', 'unicode', 'unicodefeff', 'unicodefffe', 'csunicode', 'iso-10646-ucs-2'].map((l) => [l, 'utf-16']),
  ),
  ...Object.fromEntries(
    [
      'iso-8859-1',
      'iso8859-1',
      'iso88591',
      'iso_8859-1',
      'iso_8859-1:1987',
      'latin1',
      'l1',
      'cp819',
      'ibm819',
      'iso-ir-100',
      'csisolatin1',
      'us-ascii',
      'ascii',
      'ansi_x3.4-1968',
      'cp1252',
      'x-cp1252',
      'windows-1252',
    ].map((l) => [l, 'windows-1252']),
  ),
  ...Object.fromEntries(
    ['gb2312', 'gbk', 'x-gbk', 'chinese', 'csgb2312', 'gb_2312', 'gb_2312-80', 'iso-ir-58', 'csiso58gb231280', 'cp936', 'ms936', 'windows-936', 'gb18030'].map(
      (l) => [l, 'gb18030'],
    ),
  ),
  ...Object.fromEntries(['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5'].map((l) => [l, 'big5hkscs'])),
  ...Object.fromEntries(
    ['euc-kr', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'korean', 'windows-949', 'cseuckr', 'csksc56011987', 'iso-ir-149'].map((l) => [
      l,
      'cp949',
    ]),
  ),
  ...Object.fromEntries(['shift_jis', 'shift-jis', 'sjis', 'ms_kanji', 'ms932', 'windows-31j', 'x-sjis', 'csshiftjis', 'cp932'].map((l) => [l, 'shift_jis'])),
  ...Object.fromEntries(['iso-8859-9', 'latin5', 'l5', 'iso-ir-148', 'csisolatin5', 'windows-1254'].map((l) => [l, 'windows-1254'])),
  ...Object.fromEntries(['tis-620', 'iso-8859-11', 'windows-874', 'dos-874'].map((l) => [l, 'windows-874'])),
  ...Object.fromEntries(['mac', 'macintosh', 'x-mac-roman', 'csmacintosh'].map((l) => [l, 'macintosh'])),
};
const NOT_TEXT = new Set(['base64', 'hex', 'binary', 'utf7', 'utf-7', 'utf7imap', 'cesu8', 'cesu-8', 'ucs4', 'utf32', 'utf-32', 'utf-32le', 'utf-32be']);

/** The iconv-lite charset a declared label names ('utf-16' for any UTF-16), or null when it names none. */
export function resolveLabel(label: string): string | null {
  const normalized = label.trim().toLowerCase();
  if (LABELS[normalized]) return LABELS[normalized];
  return !NOT_TEXT.has(normalized) && iconv.encodingExists(normalized) ? normalized : null;
}

/** The text, or null when the bytes hold sequences invalid in that charset. */
function decodeStrictly(buffer: Buffer, charset: string): string | null {
  if (charset === 'utf-8') return validUtf8(buffer) ? buffer.toString('utf8') : null;
  const text = iconv.decode(buffer, charset);
  // iconv-lite stands U+FFFD for bytes a legacy charset does not map; no legacy charset encodes U+FFFD itself.
  return text.includes('\uFFFD') ? null : text;
}

/** UTF-16 without a byte-order mark: in the first KiB, NUL in most high bytes and in almost no low ones. */
function utf16Order(buffer: Buffer): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.min(512, Math.floor(buffer.length / 2));
  if (pairs < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs; i++) {
    if (buffer[2 * i] === 0) evenNuls++;
    if (buffer[2 * i + 1] === 0) oddNuls++;
  }
  if (oddNuls >= pairs * 0.4 && evenNuls <= pairs * 0.05) return 'utf-16le';
  if (evenNuls >= pairs * 0.4 && oddNuls <= pairs * 0.05) return 'utf-16be';
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
function validUtf8(buffer: Buffer): boolean {
  try {
    strictUtf8.decode(buffer);
    return true;
  } catch {
    return false;
  }
}
