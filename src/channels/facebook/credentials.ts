import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';
import { tokenExpiryInput, type TokenExpiry } from '../token-expiry.js';

/** The Graph API version every call names; Meta keeps a version for about two years. */
export const GRAPH_VERSION = 'v21.0';

/**
 * A Facebook Page: its id, a Page access token (from Facebook Login for Business or the Graph API
 * Explorer, exchanged for a long-lived one), and the Meta app's secret, which signs webhook
 * deliveries (X-Hub-Signature-256) and every call (appsecret_proof). A Page token made from a
 * long-lived user token does not expire; `tokenExpiresAt` is set when the token given does.
 */
export const facebookCredentialsSchema = z.object({
  pageId: z
    .string()
    .trim()
    .regex(/^[0-9]{5,25}$/, 'the Page id is the number under Page settings → Page transparency (or /me/accounts)'),
  pageAccessToken: z.string().trim().min(20, 'the Page access token is the long value starting with EAA'),
  appSecret: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{32}$/i, 'the app secret is 32 hexadecimal characters (App settings → Basic → App secret)'),
  /** The word Meta's webhook set-up sends back in hub.verify_token; chosen by the user. */
  webhookVerifyToken: z.string().trim().min(8, 'choose a verify token of at least 8 characters').max(200).optional(),
  /** When the Page token stops working (ISO 8601, or debug_token's `expires_at` in Unix seconds); absent when it does not expire. */
  tokenExpiresAt: tokenExpiryInput.optional(),
  /** Only for tests; https://graph.facebook.com otherwise. */
  apiBase: webAddress('https://graph.facebook.com').default('https://graph.facebook.com'),
});

export type FacebookCredentials = z.input<typeof facebookCredentialsSchema>;
export type ParsedFacebookCredentials = z.infer<typeof facebookCredentialsSchema>;

/** Nobody renews a pasted Page token: its end is the channel's. */
export const facebookTokenExpiry: TokenExpiry<ParsedFacebookCredentials> = { of: (credentials) => credentials.tokenExpiresAt ?? null };
