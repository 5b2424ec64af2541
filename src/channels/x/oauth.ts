import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { X_API_BASE } from './credentials.js';

export const X_AUTHORIZE_URL = 'https://x.com/i/oauth2/authorize';

/** What Chorus asks for: read and write posts, likes and reposts, and a refresh token. */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'like.read', 'like.write', 'follows.read', 'list.read', 'media.write', 'offline.access'];

export interface XAuthorization {
  url: string;
  /** Keep both server-side until the callback: state against CSRF, the verifier for PKCE. */
  state: string;
  codeVerifier: string;
}

export interface XClient {
  clientId: string;
  clientSecret?: string | null;
  apiBase?: string;
}

export interface XTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: string | null;
  scope: string[];
}

/** Step 1 of OAuth 2.0 with PKCE: the URL to send the user to, with an S256 code challenge. */
export function xAuthorizeUrl(client: XClient, redirectUri: string, scopes: string[] = X_SCOPES): XAuthorization {
  const state = randomBytes(24).toString('base64url');
  const codeVerifier = randomBytes(48).toString('base64url');
  const url = new URL(X_AUTHORIZE_URL);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: redirectUri,
    scope: scopes.join(' '),
    state,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { url: url.toString(), state, codeVerifier };
}

/** Step 2: trade the callback's code (and the verifier from step 1) for tokens. */
export function exchangeXCode(
  client: XClient,
  input: { code: string; codeVerifier: string; redirectUri: string },
  fetch: typeof globalThis.fetch,
  now: Date,
): Promise<XTokens> {
  return requestTokens(
    client,
    { grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier },
    fetch,
    now,
  );
}

export function refreshXTokens(client: XClient, refreshToken: string, fetch: typeof globalThis.fetch, now: Date): Promise<XTokens> {
  return requestTokens(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, fetch, now);
}

const tokenResponse = z.object({
  token_type: z.string(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().optional(),
  scope: z.string().default(''),
});

/** The token endpoint refused the grant (bad code, revoked or reused refresh token). */
export class XTokenRejected extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function requestTokens(client: XClient, grant: Record<string, string>, fetch: typeof globalThis.fetch, now: Date): Promise<XTokens> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams({ ...grant, client_id: client.clientId });
  if (client.clientSecret) headers.authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
  const response = await fetch(`${client.apiBase ?? X_API_BASE}/2/oauth2/token`, { method: 'POST', headers, body });
  const json: unknown = await response.json().catch(() => null);
  if (response.status >= 500 || response.status === 429) throw new Error(`X token endpoint answered ${response.status}`);
  if (!response.ok) {
    const detail = z.object({ error_description: z.string().optional(), error: z.string().optional() }).safeParse(json);
    throw new XTokenRejected(response.status, detail.success ? (detail.data.error_description ?? detail.data.error ?? 'rejected') : 'rejected');
  }
  const tokens = tokenResponse.parse(json);
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    expiresAt: tokens.expires_in ? new Date(now.getTime() + tokens.expires_in * 1000).toISOString() : null,
    scope: tokens.scope.split(' ').filter(Boolean),
  };
}

const me = z.object({ data: z.object({ id: z.string().regex(/^\d+$/), username: z.string().min(1) }) });

/** Step 3: whose tokens these are (GET /2/users/me), for the stored credentials' userId and username. */
export async function xAccountOf(client: XClient, accessToken: string, fetch: typeof globalThis.fetch): Promise<{ userId: string; username: string }> {
  const response = await fetch(`${client.apiBase ?? X_API_BASE}/2/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (!response.ok) throw new Error(`X answered ${response.status} when asked whose account this is`);
  const { data } = me.parse(await response.json());
  return { userId: data.id, username: data.username };
}
