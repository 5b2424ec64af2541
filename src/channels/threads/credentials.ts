import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';
import { tokenExpiryInput, type TokenExpiry } from '../token-expiry.js';

export const THREADS_API_BASE = 'https://graph.threads.net';
/** Refresh a long-lived token this long before it ends (it lives 60 days; a refresh gives 60 more). */
export const THREADS_REFRESH_BEFORE_MS = 7 * 24 * 60 * 60_000;

/**
 * A Threads account's user access token (threads_basic, threads_content_publish,
 * threads_read_replies, threads_manage_replies, threads_manage_insights). A long-lived token
 * works for 60 days and is refreshed by Chorus before it ends (GET /refresh_access_token); a
 * short-lived one (1 hour) is exchanged for a long-lived one when the app secret is given.
 */
export const threadsCredentialsSchema = z.object({
  accessToken: z.string().trim().min(20, 'the access token is the long value Threads gives after sign-in (Meta app → Threads API → User token generator)'),
  /** Only to exchange a short-lived token for a long-lived one (GET /access_token, grant th_exchange_token). */
  appSecret: z.string().trim().min(1).nullish(),
  /** ISO time (or Unix seconds) the token stops working; unknown for a pasted token until the first refresh. */
  expiresAt: tokenExpiryInput.nullish(),
  /** Only for tests and proxies; https://graph.threads.net otherwise. */
  apiBase: webAddress(THREADS_API_BASE).default(THREADS_API_BASE),
});

export type ThreadsCredentials = z.input<typeof threadsCredentialsSchema>;
export type ParsedThreadsCredentials = z.infer<typeof threadsCredentialsSchema>;

/** Chorus refreshes the token in its last week whenever the channel is used: its end matters only once a refresh is late. */
export const threadsTokenExpiry: TokenExpiry<ParsedThreadsCredentials> = {
  of: (credentials) => credentials.expiresAt ?? null,
  renewedWithinMs: THREADS_REFRESH_BEFORE_MS,
};
