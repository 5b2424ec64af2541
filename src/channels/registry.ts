import type { z } from 'zod';
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
  /** Shown to users ("Bluesky", "RSS, Atom or JSON Feed"). */
  label: string;
  /** Validates what a user submits to connect or reconnect; the parsed value is what gets stored. */
  credentials: z.ZodType<Credentials>;
  create(credentials: Credentials, context: ChannelContext): ChannelConnector;
}

/** Keeps each line of CONNECTORS typed end to end (the schema's output is what `create` receives). */
export const networkEntry = <Credentials>(label: string, credentials: z.ZodType<Credentials>, create: (credentials: Credentials, context: ChannelContext) => ChannelConnector): NetworkEntry =>
  ({ label, credentials, create }) as NetworkEntry;

/** One line per network: adding a network is its folder plus one line here. */
export const CONNECTORS: Partial<Record<Network, NetworkEntry>> = {
  bluesky: networkEntry('Bluesky', blueskyCredentialsSchema, createBlueskyConnector),
  mastodon: networkEntry('Mastodon', mastodonCredentialsSchema, createMastodonConnector),
  x: networkEntry('X', xCredentialsSchema, createXConnector),
  feed: networkEntry('RSS, Atom or JSON Feed', FeedCredentials, (credentials, context) => new FeedConnector(credentials, context)),
  line: networkEntry('LINE Official Account', lineCredentialsSchema, createLineConnector),
  team: networkEntry('Team feed', TeamCredentials, (_credentials, context) => new TeamConnector(context.org)),
};

export const connectableNetworks = (): Network[] => Object.keys(CONNECTORS) as Network[];
