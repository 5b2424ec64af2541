import type { Network } from '../channels/connector.js';
import type { OrgScope } from '../teams/org-scope.js';

/** A stored item as the inbox reads it to decide whether it addresses the org and which conversation it joins. */
export interface InboundItem {
  id: string;
  network: Network;
  remoteId: string;
  url: string | null;
  text: string;
  author: { key: string; handle: string; displayName: string; avatarUrl: string | null };
  replyToRemoteId: string | null;
  quoteOfRemoteId: string | null;
  createdAt: string;
  channelAccountId: string | null;
  /** A direct (private) message to the account, as the network marked it (Mastodon `visibility: direct`). */
  isDirect: boolean;
}

/** The given stored items, oldest first (a thread's parent before its replies). */
export async function inboundItems(scope: OrgScope, itemIds: string[]): Promise<InboundItem[]> {
  if (itemIds.length === 0) return [];
  const rows = await scope
    .selectFrom('stream_items')
    .select([
      'id',
      'network',
      'remote_id',
      'url',
      'text',
      'author_key',
      'author_handle',
      'author_display_name',
      'author_avatar_url',
      'reply_to_remote_id',
      'quote_of_remote_id',
      'created_at',
      'channel_account_id',
      'is_direct',
    ])
    .where('id', 'in', itemIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    network: row.network,
    remoteId: row.remote_id,
    url: row.url,
    text: row.text,
    author: { key: row.author_key, handle: row.author_handle, displayName: row.author_display_name, avatarUrl: row.author_avatar_url },
    replyToRemoteId: row.reply_to_remote_id,
    quoteOfRemoteId: row.quote_of_remote_id,
    createdAt: row.created_at,
    channelAccountId: row.channel_account_id,
    isDirect: row.is_direct === 1,
  }));
}
