import { isNetwork, networkRules } from '@core/networks/index.js';
import type { ColumnWidth, StreamKind } from '../../api/streams.js';

/** Whether items of this network can be replied to, quoted, liked and reposted through Chorus (its core/networks rules). */
export function canInteract(network: string): boolean {
  if (!isNetwork(network)) return false;
  const { reply, quote, like, repost } = networkRules(network).capabilities;
  return reply && quote && like && repost;
}

/** The streams a connected account offers: the server's list, else its network's rules. */
export const streamsOf = (channel: { network: string; streams?: StreamKind[] }): StreamKind[] =>
  channel.streams ?? (isNetwork(channel.network) ? networkRules(channel.network).capabilities.streams : []);

/** The target a kind asks for: required, optional (blank = the account's own) or none. */
export function targetNeed(kind: StreamKind): 'required' | 'optional' | 'none' {
  if (kind === 'search' || kind === 'list' || kind === 'saved_search') return 'required';
  if (kind === 'user_posts') return 'optional';
  return 'none';
}

export const WIDTHS: ColumnWidth[] = ['narrow', 'normal', 'wide'];
export const WIDTH_PX: Record<ColumnWidth, number> = { narrow: 260, normal: 340, wide: 460 };
