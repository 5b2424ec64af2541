import { Readable } from 'node:stream';
import { OutboundHttpError, type SafeFetch } from '../lib/outbound-http/safe-fetch.js';

/** The raster formats browsers render as plain pictures. Not SVG: it is a document that can run script. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export interface ImageProxySettings {
  /** Largest image passed through, counted while streaming (after decompression). */
  maxBytes: number;
  /** Deadline for the whole upstream exchange, body included. */
  timeoutMs: number;
  /**
   * Deadline for the host to begin answering (headers and the first bytes). Short: each image
   * waiting on a silent host holds one of the browser's six connections to Chorus, and the
   * page's own API calls queue behind them.
   */
  answerTimeoutMs: number;
  /** How long a failed image is answered with its failure without asking its host again (failed-images.ts). */
  failureSeconds: number;
  /** How long a host whose fetches timed out twice in a row is not asked (silent-hosts.ts). */
  silentHostSeconds: number;
  /** How long the browser may keep a proxied image (Cache-Control: private). */
  cacheSeconds: number;
  /** Upstream fetches one org may have open at once (per process); more wait for a place. */
  maxConcurrentPerOrg: number;
  /** Fetches of one org that may wait for a place at once; more are answered 429. */
  maxWaitingPerOrg: number;
  /** How long a fetch waits for a place before it is answered 429. */
  maxWaitMs: number;
  /** Upstream fetches one org may start per minute, sustained (per process). */
  fetchesPerMinutePerOrg: number;
  /** Upstream fetches an org that has been quiet may start at once before the per-minute rate applies. */
  burstPerOrg: number;
  /** Memory for recently fetched images served again without a fetch (per process, all orgs together). */
  recentBytes: number;
  /** Longest an image is served from that memory, even if its host allows longer (Cache-Control max-age). */
  recentMaxSeconds: number;
}

export const IMAGE_PROXY_DEFAULTS: ImageProxySettings = {
  maxBytes: 5 * 1024 * 1024,
  timeoutMs: 10_000,
  answerTimeoutMs: 3_000,
  failureSeconds: 5 * 60,
  silentHostSeconds: 30,
  cacheSeconds: 24 * 60 * 60,
  // A board's first load asks for every avatar and picture of its columns at once (4 × 50 items):
  // they wait their turn rather than fail, and the burst covers a few such loads.
  maxConcurrentPerOrg: 8,
  maxWaitingPerOrg: 1000,
  maxWaitMs: 20_000,
  fetchesPerMinutePerOrg: 1200,
  burstPerOrg: 600,
  recentBytes: 16 * 1024 * 1024,
  recentMaxSeconds: 10 * 60,
};

export type ImageFailureKind = 'unreachable' | 'upstream_status' | 'not_an_image' | 'too_large' | 'timeout';

/** `reusableSeconds`: how long the host lets a shared cache reuse the answer (0: not at all). */
export type FetchedImage =
  { ok: true; contentType: ImageType; body: Readable; reusableSeconds: number } | { ok: false; kind: ImageFailureKind; message: string };

/** Enough leading bytes to recognise every allowed format (AVIF's ftyp box lists its brands). */
const SNIFF_BYTES = 64;

/**
 * Fetches a remote image through the SSRF-safe client and checks it before a byte goes to the
 * browser: a 2xx answer, a declared type on the allowlist, and leading bytes that really are
 * one of those formats (a server that calls HTML or SVG "image/png" is refused). The body is
 * streamed on; the size cap and deadline keep applying while it flows, so an oversized or
 * stalled image breaks the connection instead of arriving complete. Aborting `cancel` ends the
 * exchange at any point, even while a read is waiting on a silent host; a host that has not sent
 * the head within `answerTimeoutMs` is given up on as timed out.
 */
export async function fetchImage(fetch: SafeFetch, url: string, cancel?: AbortSignal, answerTimeoutMs?: number): Promise<FetchedImage> {
  // Aborting closes the upstream connection, not just our side of the body stream.
  const upstream = new AbortController();
  const release = () => upstream.abort();
  cancel?.addEventListener('abort', release, { once: true });
  let late = false;
  const answerTimer =
    answerTimeoutMs === undefined
      ? null
      : setTimeout(() => {
          late = true;
          release();
        }, answerTimeoutMs);
  const image = await fetchHead(fetch, url, upstream.signal, release);
  if (answerTimer) clearTimeout(answerTimer);
  if (!late) return image;
  release();
  return { ok: false, kind: 'timeout', message: `The image host did not begin to answer within ${answerTimeoutMs! / 1000} s` };
}

/** The answer's status, type and leading bytes, checked; the rest of the body streams on. */
async function fetchHead(fetch: SafeFetch, url: string, signal: AbortSignal, release: () => void): Promise<FetchedImage> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9' }, signal });
  } catch (error) {
    return failure(error);
  }
  if (response.status < 200 || response.status > 299) {
    release();
    return { ok: false, kind: 'upstream_status', message: `The image host answered ${response.status}` };
  }
  const declared = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const declaredType = declared === 'image/jpg' || declared === 'image/pjpeg' ? 'image/jpeg' : declared;
  if (!(IMAGE_TYPES as readonly string[]).includes(declaredType)) {
    release();
    return { ok: false, kind: 'not_an_image', message: `The image host sent ${declared || 'no content type'}; only ${IMAGE_TYPES.join(', ')} are shown` };
  }
  if (!response.body) return { ok: false, kind: 'not_an_image', message: 'The image host sent an empty answer' };
  const reader = response.body.getReader();
  let head: Buffer;
  try {
    head = await readHead(reader, SNIFF_BYTES);
  } catch (error) {
    release();
    return failure(error);
  }
  const contentType = sniffImageType(head);
  if (!contentType) {
    release();
    return { ok: false, kind: 'not_an_image', message: `The image host called it ${declared}, but it is not a PNG, JPEG, GIF, WebP or AVIF image` };
  }
  return {
    ok: true,
    contentType,
    body: Readable.from(rest(head, reader, release), { objectMode: false }),
    reusableSeconds: reusableSeconds(response.headers.get('cache-control')),
  };
}

/**
 * How long the host's Cache-Control lets Chorus, a cache shared by an org's members, reuse an
 * image: s-maxage, else max-age. Nothing without one (no guessing from Last-Modified), nor for
 * answers meant for one user (private) or not to be kept or reused unchecked (no-store, no-cache).
 */
export function reusableSeconds(cacheControl: string | null): number {
  const directives = new Map(
    (cacheControl ?? '').split(',').map((part) => {
      const [name, value] = part.trim().toLowerCase().split('=', 2) as [string, string | undefined];
      return [name, value?.replace(/^"|"$/g, '')] as const;
    }),
  );
  if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) return 0;
  const seconds = Number(directives.get('s-maxage') ?? directives.get('max-age'));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>, bytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  return Buffer.concat(chunks);
}

/** The checked head, then the rest as it arrives; a browser that goes away cancels the upstream read. */
async function* rest(head: Buffer, reader: ReadableStreamDefaultReader<Uint8Array>, release: () => void): AsyncGenerator<Uint8Array> {
  let complete = false;
  try {
    yield head;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    complete = true;
  } finally {
    if (!complete) release();
  }
}

export function sniffImageType(head: Uint8Array): ImageType | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp' && bytes.length >= 16) {
    // ftyp box: size, 'ftyp', major brand, minor version, compatible brands.
    const boxEnd = Math.min(bytes.readUInt32BE(0), bytes.length);
    const brands = [ascii(8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(at, at + 4));
    if (brands.includes('avif') || brands.includes('avis')) return 'image/avif';
  }
  return null;
}

function failure(error: unknown): FetchedImage {
  if (error instanceof OutboundHttpError) {
    if (error.kind === 'timeout') return { ok: false, kind: 'timeout', message: 'The image host did not answer in time' };
    if (error.kind === 'too_large') return { ok: false, kind: 'too_large', message: error.message };
    return { ok: false, kind: 'unreachable', message: error.message };
  }
  return { ok: false, kind: 'unreachable', message: `The image could not be fetched: ${(error as Error).message}` };
}
