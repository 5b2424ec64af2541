import { failed, succeeded, type ConnectorContext, type ConnectorResult } from '../connector.js';
import { xTokenExpiry, type ParsedXCredentials } from './credentials.js';
import { toFailure, XApiError } from './failures.js';
import { refreshXTokens } from './oauth.js';

/** Refresh a little before expiry so a request never leaves with a token about to die. */
const REFRESH_MARGIN_MS = 60_000;

export interface XRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
}

/**
 * The X v2 API over Chorus's outbound fetch (SSRF-guarded in production, a contract server in
 * tests). Refreshes the OAuth 2.0 token when it expires and persists the rotated pair; a
 * refused refresh leaves the stored refresh token as it was and surfaces as `auth`.
 */
export class XApi {
  private credentials: ParsedXCredentials;
  /** Per endpoint: epoch ms before which X said no calls remain in the window. */
  private readonly quietUntil = new Map<string, number>();

  constructor(
    credentials: ParsedXCredentials,
    private readonly ctx: ConnectorContext,
  ) {
    this.credentials = credentials;
  }

  /** When the current token stops working unless someone reconnects (null while Chorus can renew it). */
  get tokenEnd(): string | null {
    return xTokenExpiry.of(this.credentials);
  }

  get userId(): string {
    return this.credentials.userId;
  }

  get username(): string {
    return this.credentials.username;
  }

  async run<T>(operation: () => Promise<T>): Promise<ConnectorResult<T>> {
    try {
      return succeeded(await operation());
    } catch (error) {
      return failed(toFailure(error, this.ctx.now()));
    }
  }

  async call(request: XRequest): Promise<unknown> {
    const method = request.method ?? 'GET';
    const endpoint = `${method} ${request.path}`;
    const now = this.ctx.now().getTime();
    const quiet = this.quietUntil.get(endpoint) ?? 0;
    if (now < quiet)
      throw new XApiError(
        429,
        { title: 'Too Many Requests', detail: 'rate limit window still closed' },
        new Headers({ 'x-rate-limit-reset': String(quiet / 1000) }),
      );
    if (this.expiresSoon()) await this.refresh();
    let response = await this.send(method, request);
    if (response.status === 401 && this.credentials.refreshToken) {
      await response.body?.cancel();
      await this.refresh();
      response = await this.send(method, request);
    }
    if (response.headers.get('x-rate-limit-remaining') === '0') {
      const reset = Number(response.headers.get('x-rate-limit-reset'));
      if (Number.isFinite(reset)) this.quietUntil.set(endpoint, reset * 1000);
    }
    const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new XApiError(response.status, body, response.headers);
    return body;
  }

  private send(method: string, request: XRequest): Promise<Response> {
    const url = new URL(request.path, this.credentials.apiBase);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { authorization: `Bearer ${this.credentials.accessToken}` };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    return this.ctx.fetch(url, { method, headers, body: request.json === undefined ? undefined : JSON.stringify(request.json) });
  }

  private expiresSoon(): boolean {
    if (!this.credentials.expiresAt || !this.credentials.refreshToken) return false;
    return Date.parse(this.credentials.expiresAt) - this.ctx.now().getTime() < REFRESH_MARGIN_MS;
  }

  private async refresh(): Promise<void> {
    const refreshToken = this.credentials.refreshToken;
    if (!refreshToken) return;
    const tokens = await refreshXTokens(this.credentials, refreshToken, this.ctx.fetch, this.ctx.now());
    this.credentials = {
      ...this.credentials,
      accessToken: tokens.accessToken,
      // X rotates refresh tokens; keep the old one only if it sent none.
      refreshToken: tokens.refreshToken ?? refreshToken,
      expiresAt: tokens.expiresAt,
    };
    await this.ctx.saveCredentials(this.credentials);
  }
}
