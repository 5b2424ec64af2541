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
}

export interface ChannelsTables {
  channel_accounts: ChannelAccountsTable;
}
