import type { z } from 'zod';
import { networkRules } from '../../core/networks/index.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { ChannelConnector, ConnectorContext, Network } from './connector.js';
import { blueskyCredentialsSchema, createBlueskyConnector } from './bluesky/connector.js';
import { FeedConnector, FeedCredentials } from './feed/connector.js';
import { createLineConnector, lineCredentialsSchema } from './line/connector.js';
import { createMastodonConnector, mastodonCredentialsSchema } from './mastodon/connector.js';
import { TeamConnector, TeamCredentials } from './team/connector.js';
import { createXConnector, xCredentialsSchema } from './x/connector.js';

/** What a connector gets when the channels service builds it for one connected account. */
export interface ChannelContext extends ConnectorContext {
  /** The org the channel belongs to, for connectors whose "network" is Chorus itself (team feed). */
  org: OrgScope;
  /** The stored channel the connector speaks for; null while a new connection is being verified. */
  channelId: string | null;
}

export interface NetworkEntry<Credentials = unknown> {
  /** Shown to users ("Bluesky", "RSS, Atom or JSON Feed"): the network's rules' label. */
  label: string;
  /** Validates what a user submits to connect or reconnect; the parsed value is what gets stored. */
  credentials: z.ZodType<Credentials>;
  create(credentials: Credentials, context: ChannelContext): ChannelConnector;
}

/** Keeps each line of CONNECTORS typed end to end (the schema's output is what `create` receives). */
export const networkEntry = <Credentials>(label: string, credentials: z.ZodType<Credentials>, create: (credentials: Credentials, context: ChannelContext) => ChannelConnector): NetworkEntry =>
  ({ label, credentials, create }) as NetworkEntry;

const connectorOf = <Credentials>(network: Network, credentials: z.ZodType<Credentials>, create: (credentials: Credentials, context: ChannelContext) => ChannelConnector): NetworkEntry =>
  networkEntry(networkRules(network).label, credentials, create);

/** One line per network: adding a network is its rules file (core/networks), its folder and one line here. */
export const CONNECTORS: Partial<Record<Network, NetworkEntry>> = {
  bluesky: connectorOf('bluesky', blueskyCredentialsSchema, createBlueskyConnector),
  mastodon: connectorOf('mastodon', mastodonCredentialsSchema, createMastodonConnector),
  x: connectorOf('x', xCredentialsSchema, createXConnector),
  feed: connectorOf('feed', FeedCredentials, (credentials, context) => new FeedConnector(credentials, context)),
  line: connectorOf('line', lineCredentialsSchema, createLineConnector),
  team: connectorOf('team', TeamCredentials, (_credentials, context) => new TeamConnector(context.org)),
};

export const connectableNetworks = (): Network[] => Object.keys(CONNECTORS) as Network[];
