import iconv from 'iconv-lite';

/**
 * Turns a feed's bytes into text. Precedence: byte-order mark, then the HTTP charset (RFC 7303),
 * then the XML declaration, then UTF-8. A label that cannot be right is skipped: bytes that are
 * not valid UTF-8 under a "charset=utf-8" header fall through to the XML declaration, so a
 * Shift_JIS blog behind a misconfigured server still reads as Japanese. Never throws.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType: string | null): { text: string; charset: string } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = byteOrderMark(buffer);
  if (bom) return { text: iconv.decode(buffer.subarray(bom.length), bom.charset), charset: bom.charset };
  const candidates = [charsetFromContentType(contentType), charsetFromXmlDeclaration(buffer)].filter((c): c is string => c !== null && iconv.encodingExists(c));
  for (const charset of candidates) {
    if (isUtf8(charset) && !validUtf8(buffer)) continue;
    return { text: iconv.decode(buffer, charset), charset: canonical(charset) };
  }
  if (validUtf8(buffer) || candidates.length === 0) return { text: iconv.decode(buffer, 'utf-8'), charset: 'utf-8' };
  // Declared UTF-8 but is not: Windows-1252 maps every byte, the usual truth behind such feeds.
  return { text: iconv.decode(buffer, 'windows-1252'), charset: 'windows-1252' };
}

function byteOrderMark(buffer: Buffer): { charset: string; length: number } | null {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

export function charsetFromContentType(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]+)"?/i.exec(contentType ?? '');
  return match ? match[1]!.toLowerCase() : null;
}

function charsetFromXmlDeclaration(buffer: Buffer): string | null {
  const head = buffer.subarray(0, 512).toString('latin1');
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match ? match[1]!.toLowerCase() : null;
}

const isUtf8 = (charset: string) => ['utf-8', 'utf8'].includes(charset.toLowerCase());
const canonical = (charset: string) => (isUtf8(charset) ? 'utf-8' : charset.toLowerCase());

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
function validUtf8(buffer: Buffer): boolean {
  try {
    strictUtf8.decode(buffer);
    return true;
  } catch {
    return false;
  }
}
