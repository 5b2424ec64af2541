import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';

/**
 * A LINE Official Account's Messaging API channel: both values come from the LINE Developers
 * console (Messaging API tab). The long-lived channel access token does not expire; the channel
 * secret signs every webhook delivery (X-Line-Signature), so Chorus can tell LINE's from forgeries.
 */
export const lineCredentialsSchema = z.object({
  channelAccessToken: z.string().trim().min(20, 'the channel access token is the long value under "Channel access token (long-lived)"'),
  channelSecret: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{32}$/i, 'the channel secret is 32 hexadecimal characters (Basic settings → Channel secret)'),
  /** Only for tests and LINE's staging hosts; https://api.line.me otherwise. */
  apiBase: webAddress('https://api.line.me').default('https://api.line.me'),
});

export type LineCredentials = z.input<typeof lineCredentialsSchema>;
export type ParsedLineCredentials = z.infer<typeof lineCredentialsSchema>;
