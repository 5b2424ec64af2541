import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { checkAddress, type AddressPolicy } from './address-policy.js';

/**
 * `fetch` for URLs that users (or remote servers) chose: every hop's host is resolved and
 * judged by the address policy, and the connection goes to exactly the address that was
 * judged (our own `lookup`), so a DNS answer that changes between check and connect (DNS
 * rebinding) cannot reach a private host. Redirects are followed by hand, each hop checked;
 * the whole exchange has a deadline; the body is streamed and cut off past a size limit,
 * after decompression, so neither a 50 MB feed nor a gzip bomb can fill memory.
 */
export interface OutboundHttpOptions {
  policy: AddressPolicy;
  /** Deadline for the whole exchange: connect, redirects, headers and body. */
  timeoutMs?: number;
  /** Largest (decompressed) body read; past it the read fails with `too_large`. */
  maxResponseBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** Name resolution, replaceable in tests (DNS rebinding); all answers are judged. */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

export const OUTBOUND_DEFAULTS = {
  timeoutMs: 15_000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'Chorus/0.1 (+https://github.com/chorus-social/chorus)',
};

export type OutboundFailureKind = 'invalid_url' | 'blocked_address' | 'too_many_redirects' | 'timeout' | 'too_large' | 'network';

export class OutboundHttpError extends Error {
  /** blocked_address only: a private or loopback address, which CHORUS_ALLOW_PRIVATE_NETWORK would open (metadata and reserved ones never open). */
  readonly privateAddress: boolean;
  constructor(
    readonly kind: OutboundFailureKind,
    message: string,
    options?: ErrorOptions & { privateAddress?: boolean },
  ) {
    super(message, options);
    this.name = 'OutboundHttpError';
    this.privateAddress = options?.privateAddress ?? false;
  }
}

/** A host that resolved to an address the policy refuses; `privateNetwork` as in AddressVerdict. */
export class BlockedAddressError extends OutboundHttpError {
  constructor(
    message: string,
    readonly privateNetwork: boolean,
  ) {
    super('blocked_address', message, { privateAddress: privateNetwork });
    this.name = 'BlockedAddressError';
  }
}

export type SafeFetch = typeof fetch;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

const systemResolve = (hostname: string) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * Connections are kept alive and reused per origin within one safe fetch: a publish burst then
 * costs one TCP (and TLS) handshake per host, not one per call. Reuse is safe: a pooled socket
 * was opened to an address this fetch's own `lookup` judged, under this fetch's one policy.
 */
function keepAliveAgents(): Agents {
  const options = { keepAlive: true, maxFreeSockets: 32, scheduling: 'lifo' as const };
  return { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
}

type Agents = Record<'http:' | 'https:', http.Agent>;

export function createSafeFetch(options: OutboundHttpOptions): SafeFetch {
  const settings = { ...OUTBOUND_DEFAULTS, resolve: systemResolve, ...options };
  const agents = keepAliveAgents();
  return (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    let request: Request;
    try {
      request = new Request(input, init);
    } catch (error) {
      throw new OutboundHttpError('invalid_url', `Not a valid request: ${(error as Error).message}`, { cause: error });
    }
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const exchange = new Exchange(settings, agents, request.signal);
    try {
      return await exchange.run(request, body);
    } catch (error) {
      exchange.finish();
      throw error;
    }
  }) as SafeFetch;
}

type Settings = Required<OutboundHttpOptions>;

/** One fetch call: its deadline, its hops, its body stream. */
class Exchange {
  private readonly timer: NodeJS.Timeout;
  private readonly aborted = new AbortController();
  private current: http.ClientRequest | null = null;
  private body: Transform | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly agents: Agents,
    callerSignal: AbortSignal,
  ) {
    const fail = (error: Error) => {
      this.aborted.abort(error);
      this.body?.destroy(error);
      this.current?.destroy(error);
    };
    this.timer = setTimeout(() => fail(new OutboundHttpError('timeout', `No complete answer within ${settings.timeoutMs / 1000} s`)), settings.timeoutMs);
    if (callerSignal.aborted) fail(callerSignal.reason as Error);
    callerSignal.addEventListener('abort', () => fail(callerSignal.reason as Error), { once: true });
  }

  finish(): void {
    clearTimeout(this.timer);
  }

  async run(request: Request, initialBody: Buffer | undefined): Promise<Response> {
    let url = parseTarget(request.url);
    let method = request.method;
    let body = initialBody;
    const headers = new Headers(request.headers);
    for (let hop = 0; ; hop++) {
      const answer = await this.send(url, method, headers, body);
      const location = answer.headers.location;
      if (!REDIRECTS.has(answer.statusCode ?? 0) || !location || request.redirect === 'manual') {
        return this.toResponse(answer, url, hop > 0);
      }
      answer.resume();
      if (request.redirect === 'error') throw new OutboundHttpError('network', `Redirected to ${location}, which this request does not follow`);
      if (hop >= this.settings.maxRedirects) throw new OutboundHttpError('too_many_redirects', `More than ${this.settings.maxRedirects} redirects`);
      const next = parseTarget(location, url);
      if (answer.statusCode === 303 || ((answer.statusCode === 301 || answer.statusCode === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      }
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      url = next;
    }
  }

  private async send(url: URL, method: string, headers: Headers, body: Buffer | undefined): Promise<http.IncomingMessage> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host)) this.judge(host, host);
    const outgoing: Record<string, string> = { 'user-agent': this.settings.userAgent, 'accept-encoding': 'gzip, deflate, br' };
    headers.forEach((value, name) => (outgoing[name] = value));
    const transport = url.protocol === 'https:' ? https : http;
    const agent = this.agents[url.protocol === 'https:' ? 'https:' : 'http:'];
    return new Promise((resolve, reject) => {
      if (this.aborted.signal.aborted) return reject(this.aborted.signal.reason);
      const req = transport.request(url, { method, headers: outgoing, agent, lookup: this.lookup }, resolve);
      this.current = req;
      req.on('error', (error) =>
        reject(
          error instanceof OutboundHttpError ? error : new OutboundHttpError('network', `Could not reach ${url.host}: ${error.message}`, { cause: error }),
        ),
      );
      req.end(body);
    });
  }

  private judge(host: string, address: string): void {
    const verdict = checkAddress(address, this.settings.policy);
    if (!verdict.allowed) throw new BlockedAddressError(`${host} is not reachable from Chorus: ${verdict.reason}`, verdict.privateNetwork);
  }

  /** The connection uses the very addresses judged here: nothing is resolved twice. */
  private readonly lookup = (hostname: string, options: dns.LookupOptions, callback: (...args: any[]) => void): void => {
    this.settings.resolve(hostname).then(
      (answers) => {
        try {
          if (answers.length === 0) throw new OutboundHttpError('network', `${hostname} has no address`);
          for (const answer of answers) this.judge(hostname, answer.address);
          const usable = options.family ? answers.filter((a) => a.family === options.family) : answers;
          if (usable.length === 0) throw new OutboundHttpError('network', `${hostname} has no IPv${options.family} address`);
          if (options.all) callback(null, usable);
          else callback(null, usable[0]!.address, usable[0]!.family);
        } catch (error) {
          callback(error);
        }
      },
      (error: Error) => callback(new OutboundHttpError('network', `Could not resolve ${hostname}: ${error.message}`, { cause: error })),
    );
  };

  private toResponse(answer: http.IncomingMessage, url: URL, redirected: boolean): Response {
    const status = answer.statusCode ?? 502;
    const headers = new Headers();
    for (let i = 0; i < answer.rawHeaders.length; i += 2) headers.append(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
    const declared = Number(answer.headers['content-length']);
    const limit = this.settings.maxResponseBytes;
    let body: ReadableStream<Uint8Array> | null = null;
    if (NULL_BODY.has(status)) {
      answer.resume();
      this.finish();
    } else if (!answer.headers['content-encoding'] && declared > limit) {
      answer.destroy();
      throw new OutboundHttpError('too_large', `The response is ${declared} bytes; the limit is ${limit}`);
    } else {
      const decoded = decode(answer, headers);
      const capped = decoded.pipe(byteLimit(limit, () => answer.destroy()));
      decoded.on('error', (error) =>
        capped.destroy(error instanceof OutboundHttpError ? error : new OutboundHttpError('network', `The response could not be read: ${error.message}`)),
      );
      answer.on('error', (error) =>
        capped.destroy(error instanceof OutboundHttpError ? error : new OutboundHttpError('network', `The connection broke: ${error.message}`)),
      );
      capped.on('close', () => this.finish());
      this.body = capped;
      body = Readable.toWeb(capped) as ReadableStream<Uint8Array>;
    }
    const response = new Response(body, { status: status < 200 || status > 599 ? 502 : status, statusText: answer.statusMessage ?? '', headers });
    Object.defineProperty(response, 'url', { value: url.toString() });
    Object.defineProperty(response, 'redirected', { value: redirected });
    return response;
  }
}

function parseTarget(location: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw new OutboundHttpError('invalid_url', `Not a valid URL: ${location.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundHttpError('invalid_url', `Only http and https URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw new OutboundHttpError('invalid_url', 'URLs with a user name or password are not allowed');
  return url;
}

/** Undoes Content-Encoding like fetch does, and drops the headers that no longer describe the body. */
function decode(answer: http.IncomingMessage, headers: Headers): Readable {
  const encoding = String(answer.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!decoder) return answer;
  headers.delete('content-encoding');
  headers.delete('content-length');
  return answer.pipe(decoder);
}

function byteLimit(limit: number, onExceeded: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) {
        onExceeded();
        callback(new OutboundHttpError('too_large', `The response is larger than the limit of ${limit} bytes`));
        return;
      }
      callback(null, chunk);
    },
  });
}
