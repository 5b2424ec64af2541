import { createHmac } from 'node:crypto';
import { failed, succeeded, type ConnectorContext, type ConnectorResult } from '../connector.js';
import { GraphApiError, GraphThrottled, graphFailure } from './failures.js';

export interface GraphRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded, as the Graph reference documents. */
  form?: Record<string, string>;
  /** Sent as multipart/form-data (a photo's bytes). */
  multipart?: FormData;
  /** Sent as application/json, the token in the query (the Messenger Send API's documented form). */
  json?: unknown;
}

export interface GraphAccess {
  accessToken: string;
  appSecret: string;
  apiBase: string;
  version: string;
}

/** Usage at or above this share of the budget (any of call count, CPU time, total time) stops calls until it resets. */
export const USAGE_STOP_PERCENT = 95;

const usageFields = ['call_count', 'total_cputime', 'total_time'] as const;

/**
 * The Graph API over Chorus's outbound fetch. Every call carries appsecret_proof; every answer's
 * X-App-Usage and X-Business-Use-Case-Usage headers are read, and once either says the budget is
 * (nearly) spent, calls stop until Meta's estimated_time_to_regain_access has passed.
 */
export class GraphApi {
  private throttledUntil = 0;

  constructor(
    private readonly access: GraphAccess,
    private readonly ctx: ConnectorContext,
    private readonly network = 'Meta',
  ) {}

  now(): Date {
    return this.ctx.now();
  }

  async run<T>(operation: () => Promise<T>): Promise<ConnectorResult<T>> {
    try {
      return succeeded(await operation());
    } catch (error) {
      return failed(graphFailure(error, this.network));
    }
  }

  async call(request: GraphRequest): Promise<unknown> {
    const wait = this.throttledUntil - this.ctx.now().getTime();
    if (wait > 0) throw new GraphThrottled(wait);
    const url = new URL(`/${this.access.version}/${request.path.replace(/^\//, '')}`, this.access.apiBase);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const auth = { access_token: this.access.accessToken, appsecret_proof: appSecretProof(this.access.accessToken, this.access.appSecret) };
    let body: BodyInit | undefined;
    const headers: Record<string, string> = {};
    if (request.json !== undefined) {
      for (const [name, value] of Object.entries(auth)) url.searchParams.set(name, value);
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.multipart) {
      for (const [name, value] of Object.entries(auth)) request.multipart.set(name, value);
      body = request.multipart;
    } else if (request.method === 'POST' || request.method === 'DELETE') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ ...request.form, ...auth }).toString();
    } else {
      for (const [name, value] of Object.entries(auth)) url.searchParams.set(name, value);
    }
    const response = await this.ctx.fetch(url, { method: request.method ?? 'GET', headers, body });
    const regainMs = this.readUsage(response.headers);
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) throw new GraphApiError(response.status, json, regainMs);
    return json;
  }

  /** Returns Meta's wait (ms) when a header says the budget is spent, and remembers it for later calls. */
  private readUsage(headers: Headers): number | null {
    let waitMs: number | null = null;
    const app = parseJson(headers.get('x-app-usage'));
    if (isSpent(app)) waitMs = GRAPH_HOUR_MS;
    const business = parseJson(headers.get('x-business-use-case-usage'));
    if (business && typeof business === 'object') {
      for (const entries of Object.values(business as Record<string, unknown>)) {
        for (const entry of Array.isArray(entries) ? entries : []) {
          if (!isSpent(entry)) continue;
          const minutes = Number((entry as Record<string, unknown>).estimated_time_to_regain_access);
          const ms = Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : GRAPH_HOUR_MS;
          waitMs = Math.max(waitMs ?? 0, ms);
        }
      }
    }
    if (waitMs !== null) this.throttledUntil = Math.max(this.throttledUntil, this.ctx.now().getTime() + waitMs);
    return waitMs;
  }
}

const GRAPH_HOUR_MS = 60 * 60_000;

function isSpent(usage: unknown): boolean {
  if (!usage || typeof usage !== 'object') return false;
  return usageFields.some((field) => Number((usage as Record<string, unknown>)[field]) >= USAGE_STOP_PERCENT);
}

function parseJson(value: string | null): unknown {
  if (!value) return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

/** appsecret_proof: hex HMAC-SHA256 of the access token keyed by the app secret (Meta's "Securing requests"). */
export const appSecretProof = (accessToken: string, appSecret: string): string => createHmac('sha256', appSecret).update(accessToken).digest('hex');
