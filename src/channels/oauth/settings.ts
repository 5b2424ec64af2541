import type { MetaApp } from '../facebook/oauth.js';
import type { LinkedinApp } from '../linkedin/oauth.js';
import type { ThreadsApp } from '../threads/oauth.js';
import type { XClient } from '../x/oauth.js';

/** Where every network sends the browser back; one address for all, the `state` says which flow. */
export const OAUTH_CALLBACK_PATH = '/api/channels/oauth/callback';

/** How long a user may take on the network's consent page. */
export const OAUTH_STATE_LIFETIME_MS = 10 * 60_000;

/** The operator's apps, from the CHORUS_X_*, CHORUS_THREADS_*, CHORUS_LINKEDIN_* and CHORUS_META_* settings (src/config.ts). */
export interface ChannelOAuthSettings {
  /** The operator's X app (developer.x.com); null when not configured: X is then connected by pasting tokens. */
  x: XClient | null;
  /** The operator's Meta app with the Threads use case; null: Threads tokens are pasted. */
  threads: ThreadsApp | null;
  /** The operator's LinkedIn app with the Community Management API; null: LinkedIn tokens are pasted. */
  linkedin: LinkedinApp | null;
  /** The operator's Meta app with Facebook Login (for Business); null: Page and Instagram tokens are pasted. */
  facebook: MetaApp | null;
}

/** CHORUS_PUBLIC_URL when set (behind a proxy the request's own host may be an internal one), else the request's origin. */
export function oauthRedirectUri(publicUrl: string | undefined, request: { protocol: string; host: string }): string {
  const base = publicUrl ? publicUrl.replace(/\/+$/, '') : `${request.protocol}://${request.host}`;
  return `${base}${OAUTH_CALLBACK_PATH}`;
}
