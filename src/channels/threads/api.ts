import { z } from 'zod';
import { failed, succeeded, type ConnectorContext, type ConnectorResult } from '../connector.js';
import { threadsTokenExpiry, THREADS_REFRESH_BEFORE_MS, type ParsedThreadsCredentials } from './credentials.js';
import { ThreadsApiError, threadsWaitMs, toThreadsFailure } from './failures.js';

/** Threads API version in every path. */
export const THREADS_VERSION = 'v1.0';

export interface ThreadsRequest {
  method?: 'GET' | 'POST';
  /** Without the version: '/me/threads'. */
  path: string;
  query?: Record<string, string | undefined>;
}

const tokenAnswer = z.object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.number().int().positive().optional() });

/**
 * The Threads Graph API over Chorus's outbound fetch. Parameters travel in the query string, as
 * Meta documents every call (POST included). Keeps the long-lived token alive: refreshed a week
 * before it ends and persisted; a refused refresh surfaces as `auth` and leaves the stored token.
 * After a throttled answer, calls wait out the window Meta named instead of spending more quota.
 */
export class ThreadsApi {
  private credentials: ParsedThreadsCredentials;
  private quietUntil = 0;

  constructor(
    credentials: ParsedThreadsCredentials,
    private readonly ctx: ConnectorContext,
  ) {
    this.credentials = credentials;
  }

  /** When the current token stops working unless someone reconnects (null while Chorus can renew it). */
  get tokenEnd(): string | null {
    return threadsTokenExpiry.of(this.credentials);
  }

  now(): Date {
    return this.ctx.now();
  }

  async run<T>(operation: () => Promise<T>): Promise<ConnectorResult<T>> {
    try {
      return succeeded(await operation());
    } catch (error) {
      return failed(toThreadsFailure(error));
    }
  }

  async call(request: ThreadsRequest): Promise<unknown> {
    const now = this.ctx.now().getTime();
    if (now < this.quietUntil)
      throw new ThreadsApiError(
        429,
        { error: { message: 'rate limit window still closed', code: 4 } },
        new Headers({ 'retry-after': String(Math.ceil((this.quietUntil - now) / 1000)) }),
      );
    if (this.credentials.expiresAt && Date.parse(this.credentials.expiresAt) - now < THREADS_REFRESH_BEFORE_MS) {
      try {
        await this.refresh();
      } catch (error) {
        // A token that still works is used as it is (Threads refuses to refresh one less than a day old); the call says whether it does.
        if (Date.parse(this.credentials.expiresAt) <= now) throw error;
      }
    }
    return this.send(request.method ?? 'GET', `/${THREADS_VERSION}${request.path}`, request.query ?? {}, this.credentials.accessToken);
  }

  /** A short-lived token (1 hour) becomes a long-lived one (60 days); needs the app secret. */
  async exchangeForLongLived(): Promise<void> {
    if (!this.credentials.appSecret) return;
    const answer = tokenAnswer.parse(
      await this.send('GET', '/access_token', { grant_type: 'th_exchange_token', client_secret: this.credentials.appSecret }, this.credentials.accessToken),
    );
    await this.store(answer);
  }

  /** A pasted token's end is unknown: a refresh tells it (and fails harmlessly for a token less than a day old). */
  async learnExpiry(): Promise<void> {
    if (this.credentials.expiresAt || this.credentials.appSecret) return;
    await this.refresh().catch(() => undefined);
  }

  private async refresh(): Promise<void> {
    const answer = tokenAnswer.parse(await this.send('GET', '/refresh_access_token', { grant_type: 'th_refresh_token' }, this.credentials.accessToken));
    await this.store(answer);
  }

  private async store(answer: z.infer<typeof tokenAnswer>): Promise<void> {
    const expiresAt = answer.expires_in ? new Date(this.ctx.now().getTime() + answer.expires_in * 1000).toISOString() : null;
    this.credentials = { ...this.credentials, accessToken: answer.access_token, expiresAt };
    await this.ctx.saveCredentials(this.credentials);
  }

  private async send(method: string, path: string, query: Record<string, string | undefined>, token: string): Promise<unknown> {
    const url = new URL(path, this.credentials.apiBase);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
    url.searchParams.set('access_token', token);
    const response = await this.ctx.fetch(url, { method });
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return body;
    const error = new ThreadsApiError(response.status, body, response.headers);
    if (toThreadsFailure(error).kind === 'rate_limited') this.quietUntil = this.ctx.now().getTime() + threadsWaitMs(response.headers);
    throw error;
  }
}
