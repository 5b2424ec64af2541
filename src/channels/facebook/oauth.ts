import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GraphApi } from './api.js';
import { GRAPH_VERSION } from './credentials.js';

/**
 * Facebook Login (for Business), driven by src/channels/oauth/facebook-pages.ts ("Sign in with
 * Facebook"): the code is traded for a short-lived user token (about an hour), that for a
 * long-lived one (about 60 days), and the Pages the person manages are read with it. A Page token
 * read with a long-lived user token has no end, so the channels it makes need nobody to renew them.
 */
export const FACEBOOK_AUTHORIZE_URL = `https://www.facebook.com/${GRAPH_VERSION}/dialog/oauth`;
export const GRAPH_API_BASE = 'https://graph.facebook.com';
export const FACEBOOK_SCOPES = [
  'pages_show_list',
  'pages_manage_posts',
  'pages_read_engagement',
  'pages_manage_engagement',
  'read_insights',
  'instagram_basic',
  'instagram_content_publish',
  'instagram_manage_comments',
  'instagram_manage_insights',
  'business_management',
];

/** The operator's Meta app; its secret is the one every Page and Instagram channel it connects signs calls with. */
export interface MetaApp {
  appId: string;
  appSecret: string;
  /** A Facebook Login for Business configuration: it names the permissions, so no scope is sent. */
  loginConfigId?: string;
  apiBase?: string;
}

export function facebookAuthorizeUrl(app: MetaApp, redirectUri: string): { url: string; state: string } {
  const state = randomBytes(24).toString('base64url');
  const url = new URL(FACEBOOK_AUTHORIZE_URL);
  const what: Record<string, string> = app.loginConfigId ? { config_id: app.loginConfigId } : { scope: FACEBOOK_SCOPES.join(',') };
  url.search = new URLSearchParams({ client_id: app.appId, redirect_uri: redirectUri, state, response_type: 'code', ...what }).toString();
  return { url: url.toString(), state };
}

/** Meta refused the code or the token exchange (a used or expired code, a redirect URI that differs). */
export class FacebookTokenRejected extends Error {}

const userToken = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive().optional() });

/** The long-lived user token of the person who signed in. */
export async function exchangeFacebookCode(app: MetaApp, input: { code: string; redirectUri: string }, fetch: typeof globalThis.fetch): Promise<string> {
  const short = await tokenCall(app, fetch, { client_id: app.appId, redirect_uri: input.redirectUri, client_secret: app.appSecret, code: input.code });
  return tokenCall(app, fetch, { grant_type: 'fb_exchange_token', client_id: app.appId, client_secret: app.appSecret, fb_exchange_token: short });
}

async function tokenCall(app: MetaApp, fetch: typeof globalThis.fetch, query: Record<string, string>): Promise<string> {
  const url = new URL(`/${GRAPH_VERSION}/oauth/access_token`, app.apiBase ?? GRAPH_API_BASE);
  url.search = new URLSearchParams(query).toString();
  const response = await fetch(url);
  const json: unknown = await response.json().catch(() => null);
  if (response.status >= 500 || response.status === 429) throw new Error(`Meta's token endpoint answered ${response.status}`);
  if (!response.ok) {
    const detail = z.object({ error: z.object({ message: z.string() }) }).safeParse(json);
    throw new FacebookTokenRejected(detail.success ? detail.data.error.message : `answered ${response.status}`);
  }
  return userToken.parse(json).access_token;
}

const managedPage = z.object({
  id: z.string().regex(/^[0-9]{5,25}$/),
  name: z.string(),
  access_token: z.string().min(1),
  /** What the person may do on the Page; publishing needs CREATE_CONTENT. Absent for some business-owned Pages. */
  tasks: z.array(z.string()).optional(),
  instagram_business_account: z.object({ id: z.string().regex(/^[0-9]{5,25}$/), username: z.string().optional() }).optional(),
});
const accountsPage = z.object({
  data: z.array(z.unknown()),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});

export type ManagedPage = z.infer<typeof managedPage>;

/** Enough for a person with hundreds of Pages; more would be a runaway paging loop. */
const MAX_ACCOUNT_PAGES = 50;

/**
 * Every Page the person manages (GET /me/accounts, followed through its cursors), each with its
 * Page token and the Instagram professional account linked to it. An entry Meta sends in another
 * shape is left out rather than stopping the others. The `next` address is not followed as is:
 * it carries the token, and only Chorus's own address for Meta may receive that.
 */
export async function facebookManagedPages(app: MetaApp, userAccessToken: string, fetch: typeof globalThis.fetch, now: () => Date): Promise<ManagedPage[]> {
  const api = new GraphApi(
    { accessToken: userAccessToken, appSecret: app.appSecret, apiBase: app.apiBase ?? GRAPH_API_BASE, version: GRAPH_VERSION },
    { fetch, now, saveCredentials: async () => {} },
    'Facebook',
  );
  const pages: ManagedPage[] = [];
  let after: string | undefined;
  for (let round = 0; round < MAX_ACCOUNT_PAGES; round++) {
    const query: Record<string, string> = { fields: 'id,name,access_token,tasks,instagram_business_account{id,username}', limit: '100' };
    if (after) query.after = after;
    const answer = accountsPage.parse(await api.call({ path: 'me/accounts', query }));
    for (const raw of answer.data) {
      const parsed = managedPage.safeParse(raw);
      if (parsed.success) pages.push(parsed.data);
    }
    after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
    if (!after) break;
  }
  return pages;
}
