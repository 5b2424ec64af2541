import type { ChannelQuotaAnswer, ChannelView, ConnectableNetwork, Network } from '@core/api/channels.js';
import { request, segment } from './client.js';

/** Shapes of src/channels/routes.ts: the server's own (core/api/channels.ts). */
export type { AccountHealth, ConnectableNetwork, Network, ReadNote, SendingQuota } from '@core/api/channels.js';
export type Channel = ChannelView;

/** Networks whose accounts can be connected by signing in on them. */
export type OAuthNetwork = 'x' | 'mastodon' | 'threads' | 'linkedin' | 'facebook' | 'instagram';
/** Signed in on through the operator's own app: nothing to ask before leaving for the network. */
export type AppOAuthNetwork = Exclude<OAuthNetwork, 'mastodon'>;

/** Instagram professional accounts are reached through their Facebook Page: Facebook's sign-in connects (and renews) both. */
export const signInNetworkOf = (network: AppOAuthNetwork): Exclude<AppOAuthNetwork, 'instagram'> => (network === 'instagram' ? 'facebook' : network);

const base = (orgId: string) => `/api/orgs/${segment(orgId)}/channels`;

export const listChannels = (orgId: string) => request<{ channels: Channel[]; networks: ConnectableNetwork[] }>('GET', base(orgId));

export const connectChannel = (orgId: string, network: Network, credentials: Record<string, unknown>, idempotencyKey: string) =>
  request<{ channel: Channel }>('POST', base(orgId), { network, credentials }, { idempotencyKey });

export const checkChannel = (orgId: string, channelId: string) => request<{ channel: Channel }>('POST', `${base(orgId)}/${segment(channelId)}/check`);

export const reconnectChannel = (orgId: string, channelId: string, credentials: Record<string, unknown>) =>
  request<{ channel: Channel }>('PUT', `${base(orgId)}/${segment(channelId)}/credentials`, { credentials });

export const channelQuota = (orgId: string, channelId: string) => request<ChannelQuotaAnswer>('GET', `${base(orgId)}/${segment(channelId)}/quota`);

export const removeChannel = (orgId: string, channelId: string) => request<void>('DELETE', `${base(orgId)}/${segment(channelId)}`);

/** Begin signing in on the network: the browser goes to `authorizeUrl` and comes back to Settings → Channels. */
export const startAppSignIn = (orgId: string, network: AppOAuthNetwork, channelId?: string) =>
  request<{ authorizeUrl: string }>('POST', `${base(orgId)}/oauth/${signInNetworkOf(network)}/start`, channelId ? { channelId } : {});

export const startMastodonSignIn = (orgId: string, instanceUrl: string, channelId?: string) =>
  request<{ authorizeUrl: string }>('POST', `${base(orgId)}/oauth/mastodon/start`, { instanceUrl, ...(channelId ? { channelId } : {}) });
