import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { THREADS_API_BASE } from './credentials.js';

/**
 * The Threads OAuth 2.0 code flow, driven by src/channels/oauth/service.ts ("Sign in with Threads").
 * Authorize on threads.net, trade the code for a short-lived token (1 hour), then for a
 * long-lived one (60 days) that the connector refreshes.
 */
export const THREADS_AUTHORIZE_URL = 'https://threads.net/oauth/authorize';
export const THREADS_SCOPES = ['threads_basic', 'threads_content_publish', 'threads_read_replies', 'threads_manage_replies', 'threads_manage_insights'];

export interface ThreadsApp {
  appId: string;
  appSecret: string;
  apiBase?: string;
}

export function threadsAuthorizeUrl(app: ThreadsApp, redirectUri: string, scopes: string[] = THREADS_SCOPES): { url: string; state: string } {
  const state = randomBytes(24).toString('base64url');
  const url = new URL(THREADS_AUTHORIZE_URL);
  url.search = new URLSearchParams({ client_id: app.appId, redirect_uri: redirectUri, scope: scopes.join(','), response_type: 'code', state }).toString();
  return { url: url.toString(), state };
}

/** The token endpoint refused the code or the exchange. */
export class ThreadsTokenRejected extends Error {}

/**
 * The answer also carries `user_id` as a JSON number, which loses digits past 2^53 (Threads ids
 * are 17 digits): the account's id is read from GET /me instead, as a string.
 */
const shortLived = z.object({ access_token: z.string().min(1) });
const longLived = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

/** The stored credentials for the account that signed in: a long-lived token and when it ends. */
export async function exchangeThreadsCode(
  app: ThreadsApp,
  input: { code: string; redirectUri: string },
  fetch: typeof globalThis.fetch,
  now: Date,
): Promise<{ accessToken: string; expiresAt: string }> {
  const base = app.apiBase ?? THREADS_API_BASE;
  // Threads appends "#_" to the code in the redirect; it is not part of the code.
  const code = input.code.replace(/#_$/, '');
  const form = new URLSearchParams({
    client_id: app.appId,
    client_secret: app.appSecret,
    grant_type: 'authorization_code',
    redirect_uri: input.redirectUri,
    code,
  });
  const first = shortLived.parse(
    await tokenCall(fetch, new URL('/oauth/access_token', base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    }),
  );
  const exchange = new URL('/access_token', base);
  exchange.search = new URLSearchParams({ grant_type: 'th_exchange_token', client_secret: app.appSecret, access_token: first.access_token }).toString();
  const second = longLived.parse(await tokenCall(fetch, exchange, { method: 'GET' }));
  return { accessToken: second.access_token, expiresAt: new Date(now.getTime() + second.expires_in * 1000).toISOString() };
}

async function tokenCall(fetch: typeof globalThis.fetch, url: URL, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  const json: unknown = await response.json().catch(() => null);
  if (response.status >= 500 || response.status === 429) throw new Error(`Threads token endpoint answered ${response.status}`);
  if (!response.ok) {
    const detail = z.object({ error: z.object({ message: z.string() }) }).safeParse(json);
    throw new ThreadsTokenRejected(detail.success ? detail.data.error.message : `answered ${response.status}`);
  }
  return json;
}
