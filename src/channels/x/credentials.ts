import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';
import type { TokenExpiry } from '../token-expiry.js';

export const X_API_BASE = 'https://api.x.com';

export const xCredentialsSchema = z.object({
  /** The OAuth 2.0 client of the Chorus instance's X app. */
  clientId: z.string().min(1),
  /** Only for confidential clients; public (PKCE-only) clients have none. */
  clientSecret: z.string().min(1).nullish(),
  accessToken: z.string().min(1),
  /** Present when the `offline.access` scope was granted; X rotates it on every refresh. */
  refreshToken: z.string().min(1).nullish(),
  /** ISO time the access token stops working. */
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
  userId: z.string().regex(/^\d+$/),
  username: z.string().min(1),
  /** Where the API lives; only tests and proxies change it. */
  apiBase: webAddress(X_API_BASE).default(X_API_BASE),
});

export type XCredentials = z.input<typeof xCredentialsSchema>;
export type ParsedXCredentials = z.infer<typeof xCredentialsSchema>;

/** A token with a refresh token is renewed by Chorus whenever it is used (it lives two hours): only one without dies on its own. */
export const xTokenExpiry: TokenExpiry<ParsedXCredentials> = { of: (credentials) => (credentials.refreshToken ? null : (credentials.expiresAt ?? null)) };
