import type { OrgScope } from '../teams/org-scope.js';
import type { ConnectorContext } from './connector.js';
import type { PublicImageHost } from './public-images.js';

/** What a connector gets when the channels service builds it for one connected account. */
export interface ChannelContext extends ConnectorContext {
  /** The org the channel belongs to, for connectors whose "network" is Chorus itself (team feed). */
  org: OrgScope;
  /** The stored channel the connector speaks for; null while a new connection is being verified. */
  channelId: string | null;
  /** Serves a post's images at public addresses for networks that fetch them (Instagram, Threads, LINE); null without CHORUS_PUBLIC_URL. */
  publicImages: PublicImageHost | null;
}
