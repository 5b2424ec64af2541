import type { Selectable } from 'kysely';
import type { ItemMention, Network, PostMetrics } from '../channels/connector.js';
import type { StreamItemsTable } from './tables.js';
import type { ItemView } from '../../core/api/streams.js';

export type { ItemView };

/** The part of a view fixed at ingest: stored as JSON in `stream_items.view`. */
export type StoredItemView = Omit<ItemView, 'id' | 'metrics' | 'channelAccountId' | 'read' | 'done' | 'assignedToUserId' | 'viewer'>;

/** The columns a stored view is rendered from, with links and media not yet JSON. */
export type ItemViewSource = Omit<StoredColumns, 'links' | 'media' | 'mentions' | 'tags'> & {
  links: string[];
  media: { url: string; alt: string }[];
  mentions: ItemMention[];
  tags: string[];
};

type StoredColumns = Pick<
  Selectable<StreamItemsTable>,
  | 'network'
  | 'remote_id'
  | 'url'
  | 'author_handle'
  | 'author_display_name'
  | 'author_avatar_url'
  | 'author_profile_url'
  | 'title'
  | 'text'
  | 'html'
  | 'links'
  | 'media'
  | 'reply_to_remote_id'
  | 'quote_of_remote_id'
  | 'created_at'
  | 'created_at_approximate'
  | 'language'
  | 'mentions'
  | 'tags'
  | 'card_title'
  | 'is_direct'
>;

/** The stored view of a row read back from the store (backfills and old imports). */
export const renderStoredViewOfRow = (row: StoredColumns): string =>
  renderStoredView({
    ...row,
    links: JSON.parse(row.links) as string[],
    media: JSON.parse(row.media) as { url: string; alt: string }[],
    mentions: JSON.parse(row.mentions) as ItemMention[],
    tags: JSON.parse(row.tags) as string[],
  });

/** What a page of items needs from each row: the stored view plus what changes after ingest. */
export type ItemRow = Pick<Selectable<StreamItemsTable>, 'id' | 'view' | 'metrics' | 'channel_account_id'>;

export interface ItemReadingState {
  read: boolean;
  done: boolean;
  assignedToUserId: string | null;
  /** What the account it is shown as did to it (actions.ts viewerStates); nothing when absent. */
  viewer?: { liked: boolean; reposted: boolean } | undefined;
  /** The column's account, when the item is shown in a column. */
  channelAccountId?: string | null;
}

export function renderStoredView(row: ItemViewSource): string {
  const view: StoredItemView = {
    network: row.network,
    remoteId: row.remote_id,
    url: row.url,
    author: { handle: row.author_handle, displayName: row.author_display_name, avatarUrl: row.author_avatar_url, profileUrl: row.author_profile_url },
    title: row.title,
    text: row.text,
    html: row.html,
    links: row.links,
    media: row.media,
    replyToRemoteId: row.reply_to_remote_id,
    quoteOfRemoteId: row.quote_of_remote_id,
    createdAt: row.created_at,
    // Only when true, so views stored before the flag existed read the same as exact ones.
    ...(row.created_at_approximate ? { createdAtApproximate: true as const } : {}),
    language: row.language,
    mentions: row.mentions,
    tags: row.tags,
    cardTitle: row.card_title,
    isDirect: row.is_direct === 1,
  };
  return JSON.stringify(view);
}

export function presentItem(row: ItemRow, state: ItemReadingState): ItemView {
  return JSON.parse(itemJson(row, state)) as ItemView;
}

/**
 * One item's API JSON without parsing anything: id, metrics and reading state, then the members
 * of the stored view. `metrics` is JSON that Chorus itself wrote at ingest.
 */
export function itemJson(row: ItemRow, state: ItemReadingState): string {
  return (
    `{"id":${JSON.stringify(row.id)},"metrics":${row.metrics ?? 'null'},"channelAccountId":${JSON.stringify(state.channelAccountId ?? row.channel_account_id)},` +
    `"read":${state.read},"done":${state.done},"assignedToUserId":${JSON.stringify(state.assignedToUserId)},` +
    `"viewer":{"liked":${state.viewer?.liked === true},"reposted":${state.viewer?.reposted === true}},${row.view.slice(1)}`
  );
}
