import { failed, succeeded, type ConnectorContext, type ConnectorResult } from '../connector.js';
import type { ParsedMastodonCredentials } from './credentials.js';
import { MastodonApiError, toFailure } from './failures.js';

export interface MastodonRequest {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT';
  path: string;
  query?: [string, string | undefined][];
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
}

export interface MastodonAnswer {
  body: unknown;
  /** The `max_id` of the Link header's rel="next" page, if any. */
  nextMaxId: string | null;
}

/** The Mastodon REST API over Chorus's outbound fetch, honouring X-RateLimit-* headers. */
export class MastodonApi {
  /** Epoch ms before which the server said no calls remain (Mastodon limits per account, not per endpoint). */
  private quietUntil = 0;

  constructor(
    private readonly credentials: ParsedMastodonCredentials,
    private readonly ctx: ConnectorContext,
  ) {}

  now(): Date {
    return this.ctx.now();
  }

  async run<T>(operation: () => Promise<T>): Promise<ConnectorResult<T>> {
    try {
      return succeeded(await operation());
    } catch (error) {
      return failed(toFailure(error, this.ctx.now()));
    }
  }

  async call(request: MastodonRequest): Promise<MastodonAnswer> {
    const now = this.ctx.now().getTime();
    if (now < this.quietUntil)
      throw new MastodonApiError(429, { error: 'Too many requests' }, new Headers({ 'x-ratelimit-reset': new Date(this.quietUntil).toISOString() }));
    const url = new URL(request.path, this.credentials.instanceUrl);
    for (const [name, value] of request.query ?? []) if (value !== undefined) url.searchParams.append(name, value);
    const headers: Record<string, string> = { authorization: `Bearer ${this.credentials.accessToken}`, ...request.headers };
    let body: string | FormData | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      body = request.form;
    }
    const response = await this.ctx.fetch(url, { method: request.method ?? 'GET', headers, body });
    if (response.headers.get('x-ratelimit-remaining') === '0') {
      const reset = Date.parse(response.headers.get('x-ratelimit-reset') ?? '');
      if (!Number.isNaN(reset)) this.quietUntil = reset;
    }
    const parsed: unknown = await response.json().catch(() => null);
    if (!response.ok) throw new MastodonApiError(response.status, parsed, response.headers);
    return { body: parsed, nextMaxId: nextMaxId(response.headers.get('link')) };
  }
}

/** `Link: <https://host/api/v1/timelines/home?max_id=109>; rel="next", <…>; rel="prev"`. */
function nextMaxId(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!match) continue;
    try {
      return new URL(match[1]!).searchParams.get('max_id');
    } catch {
      return null;
    }
  }
  return null;
}
