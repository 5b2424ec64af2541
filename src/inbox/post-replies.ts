import type { SelectQueryBuilder } from 'kysely';
import { isNetwork, type Network } from '../../core/networks/index.js';
import type { Database } from '../store/database.js';
import type { OrgScope } from '../teams/org-scope.js';

/** One of the org's posts as it went out on a network. */
export interface PublishedPostRef {
  network: string;
  remoteId: string;
}

/** Posts whose replies opened conversations, counted from `from` until `until` (ISO times, open where null): a campaign's, say. */
export interface RepliesToPosts {
  posts: PublishedPostRef[];
  range: { from: string | null; until: string | null };
}

/** Keeps the conversations opened as a reply to one of the posts, within the range; none when there are no posts. */
export function whereOpenedOnPosts<O>(
  query: SelectQueryBuilder<Database, 'conversations', O>,
  { posts, range }: RepliesToPosts,
): SelectQueryBuilder<Database, 'conversations', O> {
  const byNetwork = new Map<Network, string[]>();
  for (const { network, remoteId } of posts) if (isNetwork(network)) (byNetwork.get(network) ?? byNetwork.set(network, []).get(network)!).push(remoteId);
  let q = query.where((eb) =>
    eb.or(
      [...byNetwork].map(([network, remoteIds]) =>
        eb.and([eb('conversations.network', '=', network), eb('conversations.opened_in_reply_to', 'in', remoteIds)]),
      ),
    ),
  );
  if (range.from) q = q.where('conversations.opened_at', '>=', range.from);
  if (range.until) q = q.where('conversations.opened_at', '<', range.until);
  return q;
}

/** How many conversations opened as a reply to one of these posts; a conversation counts once however many of the posts it could match. */
export async function conversationsOpenedOnPosts(scope: OrgScope, replies: RepliesToPosts): Promise<number> {
  const query = whereOpenedOnPosts(
    scope.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')),
    replies,
  );
  return Number((await query.executeTakeFirstOrThrow()).n);
}
