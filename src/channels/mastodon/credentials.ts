import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';

export const mastodonCredentialsSchema = z.object({
  /** The server the account lives on, e.g. https://mastodon.social. */
  instanceUrl: webAddress('https://mastodon.social').transform((url) => new URL(url).origin),
  /** A user token: pasted from Preferences → Development, or from the OAuth flow. Mastodon tokens do not expire. */
  accessToken: z.string().min(1),
});

export type MastodonCredentials = z.input<typeof mastodonCredentialsSchema>;
export type ParsedMastodonCredentials = z.infer<typeof mastodonCredentialsSchema>;
