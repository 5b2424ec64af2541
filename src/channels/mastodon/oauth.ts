import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** What Chorus asks for: read everything, write posts, favourites, boosts and media. */
export const MASTODON_SCOPES = 'read write:statuses write:favourites write:media';

export interface MastodonApp {
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
}

const app = z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) });
const token = z.object({ access_token: z.string().min(1), token_type: z.string(), scope: z.string().default('') });

/** Registers Chorus as an OAuth application on one instance (POST /api/v1/apps); store the result per instance. */
export async function registerMastodonApp(instanceUrl: string, redirectUri: string, fetch: typeof globalThis.fetch, website?: string): Promise<MastodonApp> {
  const origin = new URL(instanceUrl).origin;
  const form = new URLSearchParams({ client_name: 'Chorus', redirect_uris: redirectUri, scopes: MASTODON_SCOPES });
  if (website) form.set('website', website);
  const parsed = app.parse(await answer(await fetch(`${origin}/api/v1/apps`, { method: 'POST', body: form })));
  return { instanceUrl: origin, clientId: parsed.client_id, clientSecret: parsed.client_secret };
}

/** The page to send the user to; keep `state` server-side and compare it in the callback. */
export function mastodonAuthorizeUrl(registered: MastodonApp, redirectUri: string): { url: string; state: string } {
  const state = randomBytes(24).toString('base64url');
  const url = new URL('/oauth/authorize', registered.instanceUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: registered.clientId,
    redirect_uri: redirectUri,
    scope: MASTODON_SCOPES,
    state,
  }).toString();
  return { url: url.toString(), state };
}

/** Trades the callback's code for a user token (POST /oauth/token). */
export async function exchangeMastodonCode(registered: MastodonApp, code: string, redirectUri: string, fetch: typeof globalThis.fetch): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    client_id: registered.clientId,
    client_secret: registered.clientSecret,
    redirect_uri: redirectUri,
    scope: MASTODON_SCOPES,
  });
  return token.parse(await answer(await fetch(`${registered.instanceUrl}/oauth/token`, { method: 'POST', body: form }))).access_token;
}

async function answer(response: Response): Promise<unknown> {
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(body);
    throw new Error(`Mastodon answered ${response.status}${error.success ? `: ${error.data.error_description ?? error.data.error}` : ''}`);
  }
  return body;
}
