import type { ChannelConnector, Network } from './connector.js';

export type ConnectorLookup = { ok: true; connector: ChannelConnector } | { ok: false; reason: string };

/** What publishing needs to know about a connected account. */
export interface PublishingChannel {
  id: string;
  network: Network;
  displayName: string;
  /** The handle on the network (bulk CSV rows may name an account by it). */
  handle?: string;
  /** The account's own text limit where its connector reported one (a Mastodon instance sets its own). */
  textLimit?: number;
}

/**
 * Publishing's view of the channels module: which accounts an org has, and a connector for one.
 * Injected (server decorator / worker option), so publishing never reads channel tables.
 */
export interface ChannelDirectory {
  listChannels(orgId: string, ids: string[]): Promise<PublishingChannel[]>;
  listAllChannels(orgId: string): Promise<PublishingChannel[]>;
  /**
   * A connector acting for `actingUserId` (the post's author) when given, else for the org itself.
   * Chorus's own team feed writes as that person; external networks write as the connected account.
   * A connector, or why there is none (removed account, unreadable credentials) in words for the user. */
  connectorFor(orgId: string, channelAccountId: string, actingUserId?: string): Promise<ConnectorLookup>;
}
