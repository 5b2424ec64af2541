import type { z } from 'zod';
import { networkRules } from '../../core/networks/index.js';
import type { ChannelContext } from './channel-context.js';
import type { ChannelConnector, Network } from './connector.js';
import { blueskyCredentialsSchema } from './bluesky/credentials.js';
import { facebookCredentialsSchema, facebookTokenExpiry } from './facebook/credentials.js';
import { FeedCredentials } from './feed/credentials.js';
import { instagramCredentialsSchema, instagramTokenExpiry } from './instagram/credentials.js';
import { lineCredentialsSchema } from './line/credentials.js';
import { mastodonCredentialsSchema } from './mastodon/credentials.js';
import { TeamConnector, TeamCredentials } from './team/connector.js';
import { threadsCredentialsSchema, threadsTokenExpiry } from './threads/credentials.js';
import { linkedinCredentialsSchema, linkedinTokenExpiry } from './linkedin/credentials.js';
import { xCredentialsSchema, xTokenExpiry } from './x/credentials.js';
import type { TokenExpiry } from './token-expiry.js';

export interface NetworkEntry<Credentials = unknown> {
  /** Shown to users ("Bluesky", "RSS, Atom or JSON Feed"): the network's rules' label. */
  label: string;
  /** Validates what a user submits to connect or reconnect; the parsed value is what gets stored. */
  credentials: z.ZodType<Credentials>;
  create(credentials: Credentials, context: ChannelContext): Promise<ChannelConnector>;
  /** Networks whose tokens expire: where the credentials say when (kept in a plain column, so listing decrypts nothing for it). */
  tokenExpiry?: TokenExpiry<Credentials>;
}

type ConnectorFactory<Credentials> = (credentials: Credentials, context: ChannelContext) => ChannelConnector;

/** Keeps each line of CONNECTORS typed end to end (the schema's output is what `create` receives). */
export const networkEntry = <Credentials>(label: string, credentials: z.ZodType<Credentials>, create: ConnectorFactory<Credentials>): NetworkEntry =>
  ({ label, credentials, create: async (parsed: Credentials, context: ChannelContext) => create(parsed, context) }) as NetworkEntry;

/**
 * A network whose connector code is loaded on first use: the network SDKs and parsers (the AT
 * Protocol client, feed parsing, HTML sanitizing) were about a second of every cold start.
 */
export const lazyNetworkEntry = <Credentials>(
  label: string,
  credentials: z.ZodType<Credentials>,
  load: () => Promise<ConnectorFactory<Credentials>>,
  tokenExpiry?: TokenExpiry<Credentials>,
): NetworkEntry => {
  let factory: Promise<ConnectorFactory<Credentials>> | null = null;
  const create = async (parsed: Credentials, context: ChannelContext) => (await (factory ??= load()))(parsed, context);
  return { label, credentials, create, ...(tokenExpiry ? { tokenExpiry } : {}) } as NetworkEntry;
};

const connectorOf = <Credentials>(network: Network, credentials: z.ZodType<Credentials>, create: ConnectorFactory<Credentials>): NetworkEntry =>
  networkEntry(networkRules(network).label, credentials, create);

const lazyConnectorOf = <Credentials>(
  network: Network,
  credentials: z.ZodType<Credentials>,
  load: () => Promise<ConnectorFactory<Credentials>>,
  tokenExpiry?: TokenExpiry<Credentials>,
): NetworkEntry => lazyNetworkEntry(networkRules(network).label, credentials, load, tokenExpiry);

/** One line per network: adding a network is its rules file (core/networks), its folder and one line here. */
export const CONNECTORS: Partial<Record<Network, NetworkEntry>> = {
  bluesky: lazyConnectorOf('bluesky', blueskyCredentialsSchema, async () => (await import('./bluesky/connector.js')).createBlueskyConnector),
  mastodon: lazyConnectorOf('mastodon', mastodonCredentialsSchema, async () => (await import('./mastodon/connector.js')).createMastodonConnector),
  x: lazyConnectorOf('x', xCredentialsSchema, async () => (await import('./x/connector.js')).createXConnector, xTokenExpiry),
  feed: lazyConnectorOf('feed', FeedCredentials, async () => {
    const { FeedConnector } = await import('./feed/connector.js');
    return (credentials, context) => new FeedConnector(credentials, context);
  }),
  line: lazyConnectorOf('line', lineCredentialsSchema, async () => (await import('./line/connector.js')).createLineConnector),
  // Threads and LinkedIn (issue 15, wt-threadsli)
  threads: lazyConnectorOf(
    'threads',
    threadsCredentialsSchema,
    async () => (await import('./threads/connector.js')).createThreadsConnector,
    threadsTokenExpiry,
  ),
  linkedin: lazyConnectorOf(
    'linkedin',
    linkedinCredentialsSchema,
    async () => (await import('./linkedin/connector.js')).createLinkedinConnector,
    linkedinTokenExpiry,
  ),
  // Meta (Facebook Pages, Instagram)
  facebook: lazyConnectorOf(
    'facebook',
    facebookCredentialsSchema,
    async () => (await import('./facebook/connector.js')).createFacebookConnector,
    facebookTokenExpiry,
  ),
  instagram: lazyConnectorOf(
    'instagram',
    instagramCredentialsSchema,
    async () => (await import('./instagram/connector.js')).createInstagramConnector,
    instagramTokenExpiry,
  ),
  team: connectorOf('team', TeamCredentials, (_credentials, context) => new TeamConnector(context.org)),
};

export const connectableNetworks = (): Network[] => Object.keys(CONNECTORS) as Network[];
