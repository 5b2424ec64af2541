import { failed, succeeded, type ConnectorContext, type ConnectorResult } from '../connector.js';
import type { ParsedLineCredentials } from './credentials.js';
import { LineApiError, toFailure } from './failures.js';

export interface LineRequest {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  /** X-Line-Retry-Key: LINE executes a request with this key once; a repeat answers 409. */
  retryKey?: string;
}

export interface LineAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** The Messaging API over Chorus's outbound fetch (SSRF-guarded in production, a contract server in tests). */
export class LineApi {
  constructor(
    private readonly credentials: ParsedLineCredentials,
    private readonly ctx: ConnectorContext,
  ) {}

  now(): Date {
    return this.ctx.now();
  }

  async run<T>(operation: () => Promise<T>): Promise<ConnectorResult<T>> {
    try {
      return succeeded(await operation());
    } catch (error) {
      return failed(toFailure(error));
    }
  }

  /** Throws LineApiError on a non-2xx answer, except a 409 to a request with a retry key (the caller decides). */
  async call(request: LineRequest): Promise<LineAnswer> {
    const url = new URL(request.path, this.credentials.apiBase);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { authorization: `Bearer ${this.credentials.channelAccessToken}` };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    if (request.retryKey) headers['x-line-retry-key'] = request.retryKey;
    const response = await this.ctx.fetch(url, {
      method: request.method ?? 'GET',
      headers,
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
    });
    const body: unknown = await response.json().catch(() => null);
    if (response.ok || (response.status === 409 && request.retryKey)) return { status: response.status, body, headers: response.headers };
    throw new LineApiError(response.status, body, response.headers);
  }
}
