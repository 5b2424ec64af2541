import type { Selectable } from 'kysely';
import type { Network, PostMetrics } from '../channels/connector.js';
import type { StreamItemsTable } from './tables.js';

/** What the API shows of a stored item; `html` was sanitized at ingest and is safe to render. */
export interface ItemView {
  id: string;
  network: Network;
  remoteId: string;
  url: string | null;
  author: { handle: string; displayName: string; avatarUrl: string | null; profileUrl: string | null };
  title: string | null;
  text: string;
  html: string | null;
  links: string[];
  media: { url: string; alt: string }[];
  replyToRemoteId: string | null;
  quoteOfRemoteId: string | null;
  createdAt: string;
  language: string | null;
  metrics: PostMetrics | null;
  channelAccountId: string | null;
  read: boolean;
  done: boolean;
  assignedToUserId: string | null;
}

export type ItemRow = Selectable<StreamItemsTable>;

export interface ItemReadingState {
  read: boolean;
  done: boolean;
  assignedToUserId: string | null;
  /** The column's account, when the item is shown in a column. */
  channelAccountId?: string | null;
}

export function presentItem(row: ItemRow, state: ItemReadingState): ItemView {
  return {
    id: row.id,
    network: row.network,
    remoteId: row.remote_id,
    url: row.url,
    author: { handle: row.author_handle, displayName: row.author_display_name, avatarUrl: row.author_avatar_url, profileUrl: row.author_profile_url },
    title: row.title,
    text: row.text,
    html: row.html,
    links: JSON.parse(row.links) as string[],
    media: JSON.parse(row.media) as { url: string; alt: string }[],
    replyToRemoteId: row.reply_to_remote_id,
    quoteOfRemoteId: row.quote_of_remote_id,
    createdAt: row.created_at,
    language: row.language,
    metrics: row.metrics ? (JSON.parse(row.metrics) as PostMetrics) : null,
    channelAccountId: state.channelAccountId ?? row.channel_account_id,
    read: state.read,
    done: state.done,
    assignedToUserId: state.assignedToUserId,
  };
}
