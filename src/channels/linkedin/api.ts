import { z } from 'zod';
import { failed, succeeded, type ConnectorContext, type ConnectorResult } from '../connector.js';
import { linkedinTokenExpiry, type ParsedLinkedinCredentials } from './credentials.js';
import { LinkedinApiError, LinkedinTokenRejected, linkedinWaitMs, toLinkedinFailure } from './failures.js';

/** The versioned API Chorus was written against (LinkedIn-Version header, YYYYMM; each version lives a year). */
export const LINKEDIN_VERSION = '202411';
const REFRESH_MARGIN_MS = 24 * 60 * 60_000;

export interface LinkedinRequest {
  method?: 'GET' | 'POST' | 'PUT';
  /** '/rest/posts', or an absolute upload address from initializeUpload. */
  path: string;
  /** Already encoded: Rest.li lists and URNs (`List(urn%3Ali%3Ashare%3A1)`) must reach LinkedIn as written. */
  rawQuery?: string;
  json?: unknown;
  bytes?: Uint8Array;
}

export interface LinkedinAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive(), refresh_token: z.string().min(1).optional() });

/** LinkedIn's REST API (Rest.li 2.0) over Chorus's outbound fetch, refreshing the token a day before it ends. */
export class LinkedinApi {
  private credentials: ParsedLinkedinCredentials;
  private quietUntil = 0;

  constructor(
    credentials: ParsedLinkedinCredentials,
    private readonly ctx: ConnectorContext,
  ) {
    this.credentials = credentials;
  }

  /** When the current token stops working unless someone reconnects (null while Chorus can renew it). */
  get tokenEnd(): string | null {
    return linkedinTokenExpiry.of(this.credentials);
  }

  get organizationUrn(): string {
    return `urn:li:organization:${this.credentials.organizationId}`;
  }

  now(): Date {
    return this.ctx.now();
  }

  async run<T>(operation: () => Promise<T>): Promise<ConnectorResult<T>> {
    try {
      return succeeded(await operation());
    } catch (error) {
      return failed(toLinkedinFailure(error));
    }
  }

  async call(request: LinkedinRequest): Promise<LinkedinAnswer> {
    const now = this.ctx.now().getTime();
    if (now < this.quietUntil)
      throw new LinkedinApiError(
        429,
        { message: 'rate limit window still closed' },
        new Headers({ 'retry-after': String(Math.ceil((this.quietUntil - now) / 1000)) }),
      );
    if (this.expiresSoon()) await this.refresh();
    let response = await this.send(request);
    if (response.status === 401 && this.canRefresh()) {
      await response.body?.cancel();
      await this.refresh();
      response = await this.send(request);
    }
    const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.ok) return { status: response.status, body, headers: response.headers };
    if (response.status === 429) this.quietUntil = now + linkedinWaitMs(response.headers);
    throw new LinkedinApiError(response.status, body, response.headers);
  }

  private send(request: LinkedinRequest): Promise<Response> {
    const url = new URL(request.path, this.credentials.apiBase);
    if (request.rawQuery) url.search = request.rawQuery;
    const headers: Record<string, string> = { 'linkedin-version': LINKEDIN_VERSION, 'x-restli-protocol-version': '2.0.0' };
    // An upload address comes from LinkedIn's answer: the token goes only to LinkedIn (or the configured API base).
    if (url.host === new URL(this.credentials.apiBase).host || url.hostname === 'linkedin.com' || url.hostname.endsWith('.linkedin.com'))
      headers.authorization = `Bearer ${this.credentials.accessToken}`;
    let body: BodyInit | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.bytes) {
      headers['content-type'] = 'application/octet-stream';
      body = new Uint8Array(request.bytes);
    }
    return this.ctx.fetch(url, { method: request.method ?? 'GET', headers, body });
  }

  private canRefresh(): boolean {
    return Boolean(this.credentials.refreshToken && this.credentials.clientId && this.credentials.clientSecret);
  }

  private expiresSoon(): boolean {
    if (!this.credentials.expiresAt || !this.canRefresh()) return false;
    return Date.parse(this.credentials.expiresAt) - this.ctx.now().getTime() < REFRESH_MARGIN_MS;
  }

  private async refresh(): Promise<void> {
    const { refreshToken, clientId, clientSecret } = this.credentials;
    if (!refreshToken || !clientId || !clientSecret) return;
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret });
    const response = await this.ctx.fetch(new URL('/oauth/v2/accessToken', this.credentials.authBase), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const json: unknown = await response.json().catch(() => null);
    if (response.status >= 500 || response.status === 429) throw new Error(`LinkedIn token endpoint answered ${response.status}`);
    if (!response.ok) {
      const detail = z.object({ error_description: z.string().optional(), error: z.string().optional() }).safeParse(json);
      throw new LinkedinTokenRejected(detail.success ? (detail.data.error_description ?? detail.data.error ?? 'rejected') : 'rejected');
    }
    const tokens = tokenAnswer.parse(json);
    this.credentials = {
      ...this.credentials,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? refreshToken,
      expiresAt: new Date(this.ctx.now().getTime() + tokens.expires_in * 1000).toISOString(),
    };
    await this.ctx.saveCredentials(this.credentials);
  }
}
