import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';
import { tokenExpiryInput, type TokenExpiry } from '../token-expiry.js';

/**
 * An Instagram professional account linked to a Facebook Page: its Instagram user id (the Page's
 * instagram_business_account), an access token with instagram_basic, instagram_content_publish,
 * instagram_manage_comments and instagram_manage_insights, and the Meta app's secret.
 */
export const instagramCredentialsSchema = z.object({
  igUserId: z
    .string()
    .trim()
    .regex(/^[0-9]{5,25}$/, "the Instagram user id is the number in the Page's instagram_business_account"),
  accessToken: z.string().trim().min(20, 'the access token is the long value starting with EAA'),
  appSecret: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{32}$/i, 'the app secret is 32 hexadecimal characters (App settings → Basic → App secret)'),
  /** The word Meta's webhook set-up sends back in hub.verify_token; chosen by the user. */
  webhookVerifyToken: z.string().trim().min(8, 'choose a verify token of at least 8 characters').max(200).optional(),
  /** When the token stops working (ISO 8601, or debug_token's `expires_at` in Unix seconds); absent when it does not expire. */
  tokenExpiresAt: tokenExpiryInput.optional(),
  /** Only for tests; https://graph.facebook.com otherwise. */
  apiBase: webAddress('https://graph.facebook.com').default('https://graph.facebook.com'),
});

export type InstagramCredentials = z.input<typeof instagramCredentialsSchema>;
export type ParsedInstagramCredentials = z.infer<typeof instagramCredentialsSchema>;

/** Nobody renews a pasted Instagram token: its end is the channel's. */
export const instagramTokenExpiry: TokenExpiry<ParsedInstagramCredentials> = { of: (credentials) => credentials.tokenExpiresAt ?? null };
