import type { Selectable } from 'kysely';
import type { ConversationMessageView, ConversationView } from '../../core/api/inbox.js';
import type { ViewerState } from '../streams/actions.js';
import type { OrgScope } from '../teams/org-scope.js';
import { inboxSettings } from './settings.js';
import { slaOf } from './sla.js';
import type { ConversationMessagesTable, ConversationsTable } from './tables.js';

export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<ConversationMessagesTable>;

const between = (from: string, to: string | null): number | null => (to === null ? null : Date.parse(to) - Date.parse(from));

export function presentConversation(row: ConversationRow, preview: string, slaMinutes: number | null, now: Date): ConversationView {
  return {
    id: row.id,
    network: row.network,
    channelAccountId: row.channel_account_id,
    author: { key: row.author_key, handle: row.author_handle, displayName: row.author_display_name, avatarUrl: row.author_avatar_url },
    status: row.status,
    assigneeUserId: row.assignee_user_id,
    tags: JSON.parse(row.tags) as string[],
    contactId: row.contact_id,
    openedAt: row.opened_at,
    lastMessageAt: row.last_message_at,
    lastInboundAt: row.last_inbound_at,
    preview,
    firstResponseAt: row.first_response_at,
    firstResponseMs: between(row.opened_at, row.first_response_at),
    resolvedAt: row.resolved_at,
    resolutionMs: row.status === 'closed' ? between(row.opened_at, row.resolved_at) : null,
    sla: slaOf(row, slaMinutes, now),
  };
}

/**
 * A message as the API shows it; `viewer` is its stream item's like and repost by the
 * conversation's account (streams' viewerStates), nothing done when it has no item any more;
 * `direct` whether that item came privately (streams' directItemIds).
 */
export const presentMessage = (row: MessageRow, viewer: ViewerState = { liked: false, reposted: false }, direct = false): ConversationMessageView => ({
  id: row.id,
  direction: row.direction,
  remoteId: row.remote_id,
  itemId: row.item_id,
  authorUserId: row.author_user_id,
  authorHandle: row.author_handle,
  text: row.text,
  url: row.url,
  state: row.state,
  error: row.error,
  liked: viewer.liked,
  reposted: viewer.reposted,
  direct,
  createdAt: row.created_at,
});

/** Conversations as the API shows them, each with its newest message's text. */
export async function presentConversations(scope: OrgScope, rows: ConversationRow[]): Promise<ConversationView[]> {
  if (rows.length === 0) return [];
  const { slaMinutes } = await inboxSettings(scope);
  const messages = await scope
    .selectFrom('conversation_messages')
    .select(['conversation_id', 'text', 'created_at', 'id'])
    .where(
      'conversation_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const latest = new Map(messages.map((m) => [m.conversation_id, m.text]));
  const now = new Date(scope.now());
  return rows.map((row) => presentConversation(row, latest.get(row.id) ?? '', slaMinutes, now));
}
