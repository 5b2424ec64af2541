import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';
import { tokenExpiryInput, type TokenExpiry } from '../token-expiry.js';

export const LINKEDIN_API_BASE = 'https://api.linkedin.com';
export const LINKEDIN_AUTH_BASE = 'https://www.linkedin.com';

/**
 * A LinkedIn organization page, posted to by a member who administers it. The token comes from
 * the 3-legged OAuth 2.0 code flow with w_organization_social, r_organization_social and
 * rw_organization_admin; it lives 60 days, and a refresh token (365 days, Community Management
 * API apps) renews it, which needs the app's client id and secret.
 */
export const linkedinCredentialsSchema = z.object({
  /** The page's numeric id, as in https://www.linkedin.com/company/<id>/admin/. */
  organizationId: z.string().trim().regex(/^\d+$/, 'the organization id is the number in the page admin address (linkedin.com/company/<id>/admin)'),
  accessToken: z.string().trim().min(20, 'the access token is the long value LinkedIn gives after sign-in'),
  refreshToken: z.string().trim().min(1).nullish(),
  clientId: z.string().trim().min(1).nullish(),
  clientSecret: z.string().trim().min(1).nullish(),
  /** ISO time (or Unix seconds) the access token stops working. */
  expiresAt: tokenExpiryInput.nullish(),
  /** Only for tests and proxies. */
  apiBase: webAddress(LINKEDIN_API_BASE).default(LINKEDIN_API_BASE),
  authBase: webAddress(LINKEDIN_AUTH_BASE).default(LINKEDIN_AUTH_BASE),
});

export type LinkedinCredentials = z.input<typeof linkedinCredentialsSchema>;
export type ParsedLinkedinCredentials = z.infer<typeof linkedinCredentialsSchema>;

/** With a refresh token and the app's client, Chorus renews the token itself (the refresh token's own year is not told to it). */
export const linkedinTokenExpiry: TokenExpiry<ParsedLinkedinCredentials> = {
  of: (credentials) => (credentials.refreshToken && credentials.clientId && credentials.clientSecret ? null : (credentials.expiresAt ?? null)),
};
