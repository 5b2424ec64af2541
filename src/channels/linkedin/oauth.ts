import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LINKEDIN_VERSION } from './api.js';
import { LINKEDIN_API_BASE, LINKEDIN_AUTH_BASE } from './credentials.js';
import { LinkedinTokenRejected } from './failures.js';

/**
 * LinkedIn's 3-legged OAuth 2.0 code flow, then the pages the member administers; driven by
 * src/channels/oauth/linkedin-pages.ts ("Sign in with LinkedIn" connects each new one).
 */
export const LINKEDIN_SCOPES = ['w_organization_social', 'r_organization_social', 'rw_organization_admin'];

export interface LinkedinApp {
  clientId: string;
  clientSecret: string;
  authBase?: string;
  apiBase?: string;
}

export function linkedinAuthorizeUrl(app: LinkedinApp, redirectUri: string, scopes: string[] = LINKEDIN_SCOPES): { url: string; state: string } {
  const state = randomBytes(24).toString('base64url');
  const url = new URL('/oauth/v2/authorization', app.authBase ?? LINKEDIN_AUTH_BASE);
  url.search = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: redirectUri, state, scope: scopes.join(' ') }).toString();
  return { url: url.toString(), state };
}

const tokens = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

export async function exchangeLinkedinCode(
  app: LinkedinApp,
  input: { code: string; redirectUri: string },
  fetch: typeof globalThis.fetch,
  now: Date,
): Promise<{ accessToken: string; refreshToken: string | null; expiresAt: string }> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
  const response = await fetch(new URL('/oauth/v2/accessToken', app.authBase ?? LINKEDIN_AUTH_BASE), {
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
  const answer = tokens.parse(json);
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? null,
    expiresAt: new Date(now.getTime() + answer.expires_in * 1000).toISOString(),
  };
}

const acls = z.object({ elements: z.array(z.object({ organization: z.string(), role: z.string(), state: z.string() })).default([]) });

/** The ids of the pages this member administers (organizationAcls, approved ADMINISTRATOR roles). */
export async function linkedinAdministeredPages(app: LinkedinApp, accessToken: string, fetch: typeof globalThis.fetch): Promise<string[]> {
  const url = new URL('/rest/organizationAcls', app.apiBase ?? LINKEDIN_API_BASE);
  url.search = 'q=roleAssignee&role=ADMINISTRATOR&state=APPROVED';
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${accessToken}`, 'linkedin-version': LINKEDIN_VERSION, 'x-restli-protocol-version': '2.0.0' },
  });
  if (!response.ok) throw new Error(`LinkedIn answered ${response.status} when asked which pages this member administers`);
  return acls
    .parse(await response.json())
    .elements.filter((e) => e.role === 'ADMINISTRATOR' && e.state === 'APPROVED')
    .flatMap((e) => /^urn:li:organization:(\d+)$/.exec(e.organization)?.[1] ?? []);
}
