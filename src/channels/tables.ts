import type { AccountHealth, Network } from './connector.js';

export interface ChannelAccountsTable {
  id: string;
  org_id: string;
  network: Network;
  display_name: string;
  handle: string;
  /** The account's id on its network (feed: its URL); unique per org and network. */
  remote_id: string;
  profile_url: string | null;
  avatar_url: string | null;
  /** Sealed by CredentialsCipher (AES-256-GCM, versioned); never leaves the server. */
  credentials: string;
  health_status: AccountHealth['status'];
  health_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  last_checked_at: string | null;
  /** The account's own text limit (a Mastodon instance sets its own), read when verified. */
  text_limit: number | null;
  /** JSON ReadNote[]: what the last full read noticed (feeds: charset used and why, entries skipped and why); null before any. */
  read_notes: string | null;
  /** When the token stops working unless someone reconnects (TokenExpiry in token-expiry.ts); copied out of the sealed credentials whenever they are written, so listing channels decrypts nothing for it. */
  token_expires_at: string | null;
  /** The token end the org's admins were told of two weeks ahead (token-notices.ts); a new token with another end is told again. */
  token_end_noticed: string | null;
  /** When the admins were told the channel needs reconnecting; cleared when its health is ok again, so the next breakage is told too. */
  reconnect_noticed_at: string | null;
}

/** One OAuth authorization in flight: bound to the org and the user who started it, single use. */
export interface ChannelOAuthStatesTable {
  /** SHA-256 of the `state` sent to the network: the row cannot be replayed from a database copy. */
  id: string;
  org_id: string;
  user_id: string;
  /** `facebook`: one Facebook Login brings the person's Pages and their linked Instagram accounts. */
  network: 'x' | 'mastodon' | 'threads' | 'linkedin' | 'facebook';
  /** Mastodon: the instance (its app registration is in mastodon_apps). */
  instance_url: string | null;
  /** Sealed PKCE code verifier (X); never sent anywhere but the token endpoint. */
  code_verifier: string | null;
  redirect_uri: string;
  /** Set when the flow reconnects an existing channel instead of adding one. */
  channel_id: string | null;
  created_at: string;
  expires_at: string;
}

/** Chorus's OAuth application on one Mastodon instance, registered once and reused by every org. */
export interface MastodonAppsTable {
  id: string;
  instance_url: string;
  /** The callback it was registered with; a changed public URL registers anew. */
  redirect_uri: string;
  client_id: string;
  /** Sealed like channel credentials, bound to this row's id. */
  client_secret: string;
  created_at: string;
}

export interface ChannelsTables {
  channel_accounts: ChannelAccountsTable;
  channel_oauth_states: ChannelOAuthStatesTable;
  mastodon_apps: MastodonAppsTable;
}
