import { isNetwork, type Network } from '../../core/networks/index.js';
import type { OrgScope } from '../teams/org-scope.js';

/** One of the org's posts as it went out on a network. */
export interface PublishedPostRef {
  network: string;
  remoteId: string;
}

/**
 * How many conversations opened as a reply to one of these posts, opened in [from, until) when
 * given (ISO times). A conversation counts once however many of the posts it could match.
 */
export async function conversationsOpenedOnPosts(
  scope: OrgScope,
  posts: PublishedPostRef[],
  range: { from: string | null; until: string | null },
): Promise<number> {
  const byNetwork = new Map<Network, string[]>();
  for (const { network, remoteId } of posts) if (isNetwork(network)) (byNetwork.get(network) ?? byNetwork.set(network, []).get(network)!).push(remoteId);
  if (byNetwork.size === 0) return 0;
  let query = scope
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([...byNetwork].map(([network, remoteIds]) => eb.and([eb('network', '=', network), eb('opened_in_reply_to', 'in', remoteIds)]))));
  if (range.from) query = query.where('opened_at', '>=', range.from);
  if (range.until) query = query.where('opened_at', '<', range.until);
  return Number((await query.executeTakeFirstOrThrow()).n);
}
