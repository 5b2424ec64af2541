import type { ChannelConnector, Network } from '../channels/connector.js';

/** What publishing needs to know about a connected account. */
export interface PublishingChannel {
  id: string;
  network: Network;
  displayName: string;
  /** Mastodon instances set their own limit; others leave it undefined. */
  textLimit?: number;
}

/**
 * Publishing's view of the channels module: which accounts an org has, and a connector for one.
 * Injected (server decorator / worker option), so publishing never reads channel tables.
 */
export interface ChannelDirectory {
  listChannels(orgId: string, ids: string[]): Promise<PublishingChannel[]>;
  connectorFor(orgId: string, channelAccountId: string): Promise<ChannelConnector | null>;
}
