import { z } from 'zod';
import { webAddress } from '../../lib/outbound-http/web-address.js';

/** The session the PDS hands out; a cache in front of the app password, rotated on refresh. */
export const blueskySessionSchema = z.object({
  did: z.string().startsWith('did:'),
  handle: z.string(),
  accessJwt: z.string().min(1),
  refreshJwt: z.string().min(1),
  /** The account's own PDS when the service URL is an entryway (bsky.social). */
  pdsUrl: webAddress('https://bsky.social').nullish(),
});

export const blueskyCredentialsSchema = z.object({
  /** The PDS (or entryway) the account lives on, e.g. https://bsky.social. */
  service: webAddress('https://bsky.social'),
  /** Handle or DID. */
  identifier: z.string().trim().min(1),
  /** An app password (Settings → App passwords), never the account password. */
  appPassword: z.string().min(1),
  session: blueskySessionSchema.nullish(),
});

export type BlueskySession = z.infer<typeof blueskySessionSchema>;
export type BlueskyCredentials = z.infer<typeof blueskyCredentialsSchema>;
