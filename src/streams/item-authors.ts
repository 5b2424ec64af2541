import { viewerStates } from './actions.js';
import type { Network } from '../channels/connector.js';
import type { OrgScope } from '../teams/org-scope.js';
import { signImageUrls } from '../image-proxy/item-images.js';
import type { ImageUrlSigner } from '../image-proxy/signature.js';
import type { AuthorRef } from './contact-authors.js';
import { cursorFrom, nextCursorOf, storedImageUrls, type ItemPageJson } from './item-pages.js';
import { itemJson } from './views.js';

/** Who wrote a stored item, as the CRM needs it to make (or find) a contact. */
export interface ItemAuthor {
  network: Network;
  handle: string;
  displayName: string;
  profileUrl: string | null;
  avatarUrl: string | null;
  /** core/networks authorKey(): what an identity must match to find this author's items. */
  authorKey: string;
}

export async function itemAuthor(scope: OrgScope, itemId: string): Promise<ItemAuthor | null> {
  const row = await scope
    .selectFrom('stream_items')
    .select(['network', 'author_handle', 'author_display_name', 'author_profile_url', 'author_avatar_url', 'author_key'])
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    network: row.network,
    handle: row.author_handle,
    displayName: row.author_display_name,
    profileUrl: row.author_profile_url,
    avatarUrl: row.author_avatar_url,
    authorKey: row.author_key,
  };
}

/** Each item's own address on its network, for the CRM's tasks made from items; items without one are left out. */
export async function itemUrls(scope: OrgScope, itemIds: string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const rows = await scope.selectFrom('stream_items').select(['id', 'url']).where('id', 'in', itemIds).execute();
  return new Map(rows.flatMap((row) => (row.url ? [[row.id, row.url] as const] : [])));
}

/**
 * Every stored item by any of `authors`, newest first, in the shape of a column page: `{ items, nextCursor, imageSignatures }`.
 * Items are not read in a column here, so read and done are false, as in search.
 */
export async function authoredItemsPage(
  scope: OrgScope,
  signer: ImageUrlSigner,
  authors: AuthorRef[],
  options: { before?: string | undefined; limit: number },
): Promise<ItemPageJson> {
  const before = cursorFrom(options.before);
  let query = scope
    .selectFrom('stream_items')
    .leftJoin('item_states', 'item_states.item_id', 'stream_items.id')
    .select([
      'stream_items.id',
      'stream_items.view',
      'stream_items.metrics',
      'stream_items.channel_account_id',
      'stream_items.image_urls',
      'stream_items.created_at',
      'item_states.assigned_to_user_id',
    ])
    // Each author is one range of the (org_id, author_key, created_at) index.
    .where((eb) => eb.or(authors.map((a) => eb.and([eb('stream_items.author_key', '=', a.matchKey), eb('stream_items.network', '=', a.network)]))));
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('stream_items.created_at', '<', before.createdAt),
        eb.and([eb('stream_items.created_at', '=', before.createdAt), eb('stream_items.id', '<', before.itemId)]),
      ]),
    );
  }
  const rows =
    authors.length === 0 ? [] : await query.orderBy('stream_items.created_at', 'desc').orderBy('stream_items.id', 'desc').limit(options.limit).execute();
  const viewers = await viewerStates(
    scope,
    rows.map((r) => ({ itemId: r.id, channelAccountId: r.channel_account_id })),
  );
  const items = rows.map((row) => itemJson(row, { read: false, done: false, assignedToUserId: row.assigned_to_user_id, viewer: viewers.get(row.id) }));
  const signatures = signImageUrls(
    signer,
    scope.orgId,
    rows.flatMap((row) => storedImageUrls(row.image_urls)),
  );
  return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursorOf(rows, options.limit))},"imageSignatures":${JSON.stringify(signatures)}}`;
}

const authorId = (author: AuthorRef): string => `${author.network}\u0000${author.matchKey}`;

/** When each author last posted among the stored items: `lastSeenAt` of CRM contacts. */
export async function latestItemTimes(scope: OrgScope, authors: AuthorRef[]): Promise<(author: AuthorRef) => string | null> {
  const rows =
    authors.length === 0
      ? []
      : await scope
          .selectFrom('stream_items')
          .select((eb) => ['network', 'author_key', eb.fn.max('created_at').as('latest')])
          // Each author is one range of the (org_id, author_key, created_at) index.
          .where((eb) => eb.or(authors.map((a) => eb.and([eb('author_key', '=', a.matchKey), eb('network', '=', a.network)]))))
          .groupBy(['network', 'author_key'])
          .execute();
  const latest = new Map(rows.map((r) => [authorId({ network: r.network, matchKey: r.author_key }), r.latest as string]));
  return (author) => latest.get(authorId(author)) ?? null;
}
