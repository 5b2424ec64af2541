import { request, segment } from './client.js';

/** Response shapes of src/channels/routes.ts. */
export type Network = 'bluesky' | 'mastodon' | 'x' | 'feed' | 'team' | 'line';

export interface AccountHealth {
  status: 'ok' | 'degraded' | 'needs_reconnect';
  reason?: string;
}

/** Something a successful read noticed (feeds: the charset used and why, entries skipped and why): `code` and `details` for translation, `message` in English. */
export interface ReadNote {
  code: string;
  message: string;
  details: Record<string, string | number | null>;
}

export interface Channel {
  id: string;
  network: Network;
  displayName: string;
  handle: string;
  remoteId: string;
  profileUrl: string | null;
  avatarUrl: string | null;
  health: AccountHealth;
  createdAt: string;
  updatedAt: string;
  lastCheckedAt: string | null;
  /** The most characters a post may have there (Mastodon: the instance's own limit); null if unknown. */
  textLimit: number | null;
  notes: ReadNote[];
}

export interface ConnectableNetwork {
  network: Network;
  label: string;
  /** The server can connect it by signing in on the network (OAuth). */
  oauth: boolean;
}

/** Networks whose accounts can be connected by signing in on them. */
export type OAuthNetwork = 'x' | 'mastodon';

const base = (orgId: string) => `/api/orgs/${segment(orgId)}/channels`;

export const listChannels = (orgId: string) => request<{ channels: Channel[]; networks: ConnectableNetwork[] }>('GET', base(orgId));

export const connectChannel = (orgId: string, network: Network, credentials: Record<string, unknown>, idempotencyKey: string) =>
  request<{ channel: Channel }>('POST', base(orgId), { network, credentials }, { idempotencyKey });

export const checkChannel = (orgId: string, channelId: string) => request<{ channel: Channel }>('POST', `${base(orgId)}/${segment(channelId)}/check`);

export const reconnectChannel = (orgId: string, channelId: string, credentials: Record<string, unknown>) =>
  request<{ channel: Channel }>('PUT', `${base(orgId)}/${segment(channelId)}/credentials`, { credentials });

/** A network's cap on sending (LINE: messages per month) and its use; limit null = no cap. */
export interface SendingQuota {
  unit: 'messages' | 'posts';
  period: 'day' | 'month';
  limit: number | null;
  used: number;
}

export const channelQuota = (orgId: string, channelId: string) => request<{ quota: SendingQuota | null }>('GET', `${base(orgId)}/${segment(channelId)}/quota`);

export const removeChannel = (orgId: string, channelId: string) => request<void>('DELETE', `${base(orgId)}/${segment(channelId)}`);

/** Begin signing in on the network: the browser goes to `authorizeUrl` and comes back to Settings → Channels. */
export const startXSignIn = (orgId: string, channelId?: string) =>
  request<{ authorizeUrl: string }>('POST', `${base(orgId)}/oauth/x/start`, channelId ? { channelId } : {});

export const startMastodonSignIn = (orgId: string, instanceUrl: string, channelId?: string) =>
  request<{ authorizeUrl: string }>('POST', `${base(orgId)}/oauth/mastodon/start`, { instanceUrl, ...(channelId ? { channelId } : {}) });
