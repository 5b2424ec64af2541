import type { Network } from '../../api/channels.js';
import type { ColumnWidth, StreamKind } from '../../api/streams.js';

/**
 * What each network can show, mirroring the connectors' capabilities in
 * src/channels/<network>/connector.ts, for a server whose GET /channels does not list them.
 */
const NETWORK_STREAMS: Record<Network, StreamKind[]> = {
  bluesky: ['home', 'mentions', 'notifications', 'user_posts', 'list', 'search'],
  mastodon: ['home', 'mentions', 'notifications', 'user_posts', 'list', 'search'],
  x: ['home', 'mentions', 'notifications', 'user_posts', 'list', 'search'],
  feed: ['feed'],
  team: ['team', 'mentions'],
  line: ['messages'],
};

/** Networks whose items can be replied to, quoted, liked and reposted through Chorus. */
const INTERACTIVE: ReadonlySet<string> = new Set(['bluesky', 'mastodon', 'x']);
export const canInteract = (network: string): boolean => INTERACTIVE.has(network);

/** The streams a connected account offers: the server's list, else its network's. */
export const streamsOf = (channel: { network: string; streams?: StreamKind[] }): StreamKind[] => channel.streams ?? NETWORK_STREAMS[channel.network as Network] ?? [];

/** The target a kind asks for: required, optional (blank = the account's own) or none. */
export function targetNeed(kind: StreamKind): 'required' | 'optional' | 'none' {
  if (kind === 'search' || kind === 'list' || kind === 'saved_search') return 'required';
  if (kind === 'user_posts') return 'optional';
  return 'none';
}

export const WIDTHS: ColumnWidth[] = ['narrow', 'normal', 'wide'];
export const WIDTH_PX: Record<ColumnWidth, number> = { narrow: 260, normal: 340, wide: 460 };
