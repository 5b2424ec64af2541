import type { XClient } from '../x/oauth.js';

/** Where every network sends the browser back; one address for all, the `state` says which flow. */
export const OAUTH_CALLBACK_PATH = '/api/channels/oauth/callback';

/** How long a user may take on the network's consent page. */
export const OAUTH_STATE_LIFETIME_MS = 10 * 60_000;

export interface ChannelOAuthSettings {
  /** The operator's X app (developer.x.com); null when not configured: X is then connected by pasting tokens. */
  x: XClient | null;
}

/**
 * Read per request like the outbound address policy, so an operator's change to the
 * environment (and a test's) applies without rebuilding the server.
 */
export function channelOAuthSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ChannelOAuthSettings {
  const clientId = env.CHORUS_X_CLIENT_ID?.trim();
  if (!clientId) return { x: null };
  const clientSecret = env.CHORUS_X_CLIENT_SECRET?.trim() || null;
  const apiBase = env.CHORUS_X_API_BASE?.trim();
  return { x: { clientId, clientSecret, ...(apiBase ? { apiBase } : {}) } };
}

/** CHORUS_PUBLIC_URL when set (behind a proxy the request's own host may be an internal one), else the request's origin. */
export function oauthRedirectUri(publicUrl: string | undefined, request: { protocol: string; host: string }): string {
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : `${request.protocol}://${request.host}`;
  return `${base}${OAUTH_CALLBACK_PATH}`;
}
