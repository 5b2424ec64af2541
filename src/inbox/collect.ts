import type { FastifyBaseLogger } from 'fastify';
import { SYSTEM_ACTOR } from '../channels/publishing-directory.js';
import { orgAccounts } from '../channels/org-accounts.js';
import { contactFromItem } from '../crm/service.js';
import type { Clock } from '../lib/clock.js';
import { newTimeOrderedId } from '../lib/ids.js';
import { ringBells } from '../notifications/bell-signal.js';
import { notifyMembers } from '../notifications/service.js';
import { inboundItems, type InboundItem } from '../streams/inbound-items.js';
import type { NewItems } from '../streams/poller.js';
import type { Store } from '../store/store.js';
import { OrgScope } from '../teams/org-scope.js';
import { ConversationFilters } from '../../core/api/inbox.js';
import { addressesOrg } from './addresses-org.js';
import { matchesFilters } from './filters.js';
import { inboxSettings } from './settings.js';
import { conversationsChanged } from './signals.js';
import type { ConversationRow } from './views.js';

/** What became of one inbound item. */
type Placement = { conversationId: string; opened: boolean; itemId: string } | null;

/**
 * Files new items into conversations: an item replying to a message already in a conversation
 * joins it (the network's reply chain); any other item that addresses the org opens a new
 * conversation with its author. A closed conversation the person writes to again opens again.
 * Then contacts are made (org setting), bells rung and browsers told.
 */
export async function collectConversations(store: Store, clock: Clock, batch: NewItems): Promise<string[]> {
  const scope = new OrgScope(store.db, batch.orgId, SYSTEM_ACTOR, clock);
  const items = await inboundItems(scope, batch.itemIds);
  if (items.length === 0) return [];
  const accounts = await orgAccounts(scope);
  const placements: Placement[] = [];
  // Oldest first and one at a time: a parent is filed before the reply that joins it.
  for (const item of items) placements.push(await place(scope, item, batch.channelAccountId, addressesOrg(item, { accounts, kind: batch.kind })));
  const placed = placements.filter((p): p is NonNullable<Placement> => p !== null);
  if (placed.length === 0) return [];
  const settings = await inboxSettings(scope);
  for (const { conversationId, itemId } of placed) {
    if (settings.autoContacts === 'first_conversation') await linkContact(scope, conversationId, itemId, { automatic: true });
  }
  const opened = placed.filter((p) => p.opened).map((p) => p.conversationId);
  if (opened.length > 0) await ringBells(store, batch.orgId, await announceOpened(scope, opened));
  const conversationIds = [...new Set(placed.map((p) => p.conversationId))];
  await conversationsChanged(store, batch.orgId, conversationIds);
  return conversationIds;
}

/** Runs collectConversations for the ingest worker: a failure is logged, never stops ingest. */
export const conversationCollector =
  (store: Store, clock: Clock, logger?: FastifyBaseLogger) =>
  async (batch: NewItems): Promise<void> => {
    await collectConversations(store, clock, batch).catch((error: unknown) =>
      logger?.error({ err: error, orgId: batch.orgId }, 'filing items into conversations failed'),
    );
  };

async function place(scope: OrgScope, item: InboundItem, channelAccountId: string, addresses: boolean): Promise<Placement> {
  return scope.transaction(async (tx) => {
    const known = await tx
      .selectFrom('conversation_messages')
      .select('id')
      .where('network', '=', item.network)
      .where('remote_id', '=', item.remoteId)
      .executeTakeFirst();
    if (known) return null;
    const parent = item.replyToRemoteId
      ? await tx
          .selectFrom('conversation_messages')
          .select('conversation_id')
          .where('network', '=', item.network)
          .where('remote_id', '=', item.replyToRemoteId)
          .executeTakeFirst()
      : undefined;
    if (!parent && !addresses) return null;
    const now = tx.now();
    let conversationId = parent?.conversation_id;
    if (conversationId) {
      const row = await tx
        .selectFrom('conversations')
        .select(['status', 'last_message_at', 'last_inbound_at'])
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('conversations')
        .set({
          last_inbound_at: item.createdAt > row.last_inbound_at ? item.createdAt : row.last_inbound_at,
          last_message_at: item.createdAt > row.last_message_at ? item.createdAt : row.last_message_at,
          // The person wrote again: a closed or pending conversation needs the team again.
          ...(row.status !== 'open' ? { status: 'open' as const, resolved_at: null } : {}),
          updated_at: now,
        })
        .where('id', '=', conversationId)
        .execute();
    } else {
      conversationId = newTimeOrderedId(Date.parse(item.createdAt) || Date.now());
      await tx.insertInto('conversations', {
        id: conversationId,
        network: item.network,
        channel_account_id: item.channelAccountId ?? channelAccountId,
        author_key: item.author.key,
        author_handle: item.author.handle,
        author_display_name: item.author.displayName,
        author_avatar_url: item.author.avatarUrl,
        status: 'open',
        assignee_user_id: null,
        tags: '[]',
        contact_id: null,
        opened_in_reply_to: item.replyToRemoteId,
        opened_at: item.createdAt,
        last_inbound_at: item.createdAt,
        last_message_at: item.createdAt,
        first_response_at: null,
        resolved_at: null,
        sla_warned_at: null,
        updated_at: now,
      });
    }
    await tx.insertInto('conversation_messages', {
      id: newTimeOrderedId(),
      conversation_id: conversationId,
      network: item.network,
      direction: 'inbound',
      remote_id: item.remoteId,
      item_id: item.id,
      author_user_id: null,
      author_handle: item.author.handle,
      text: item.text,
      url: item.url,
      state: 'received',
      error: null,
      liked: 0,
      reposted: 0,
      created_at: item.createdAt,
    });
    return { conversationId, opened: !parent, itemId: item.id };
  });
}

/**
 * Makes or finds the contact of the conversation's author from one of its items and links it.
 * Concurrent calls for one author make one contact (crm's contactFromItem).
 */
export async function linkContact(scope: OrgScope, conversationId: string, itemId: string, options: { automatic?: boolean } = {}): Promise<string> {
  const current = await scope.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirst();
  if (current?.contact_id) return current.contact_id;
  const { contact } = await contactFromItem(scope, itemId, options);
  await scope
    .updateTable('conversations')
    .set({ contact_id: contact.id, updated_at: scope.now() })
    .where('id', '=', conversationId)
    .where('contact_id', 'is', null)
    .execute();
  return contact.id;
}

/** Rings the bell of every member with a notifying saved view the new conversations fall in. */
async function announceOpened(scope: OrgScope, conversationIds: string[]): Promise<string[]> {
  const views = await scope.selectFrom('inbox_views').select(['owner_user_id', 'filters']).where('notify', '=', 1).execute();
  if (views.length === 0) return [];
  const rows: ConversationRow[] = await scope.selectFrom('conversations').selectAll().where('id', 'in', conversationIds).execute();
  const told: string[] = [];
  for (const row of rows) {
    const members = views
      .filter((view) => matchesFilters(row, ConversationFilters.parse(JSON.parse(view.filters)), view.owner_user_id))
      .map((view) => view.owner_user_id);
    if (members.length === 0) continue;
    told.push(
      ...(await notifyMembers(scope, members, {
        kind: 'conversation.opened',
        title: `New conversation with ${row.author_display_name || row.author_handle}`,
        body: `@${row.author_handle} on ${row.network}`,
        link: `/orgs/${scope.orgId}/inbox?conversation=${row.id}`,
      })),
    );
  }
  return [...new Set(told)];
}
