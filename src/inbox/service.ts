import type { ConversationDetail, ConversationFilters, ConversationPage, ConversationStatus, ConversationView, InboxViewView } from '../../core/api/inbox.js';
import { ConversationFilters as FiltersSchema } from '../../core/api/inbox.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import { notifyMembers } from '../notifications/service.js';
import { directItemIds, viewerStates } from '../streams/actions.js';
import type { OrgScope } from '../teams/org-scope.js';
import { membershipRole } from '../teams/service.js';
import { decodeConversationCursor, encodeConversationCursor } from './cursor.js';
import { whereFilters } from './filters.js';
import { whereOpenedOnPosts, type RepliesToPosts } from './post-replies.js';
import { presentConversations, presentMessage, type ConversationRow } from './views.js';

export const conversationNotFound = () => new DomainError('conversation_not_found', 'Conversation not found', 404);

export async function conversationRow(scope: OrgScope, conversationId: string): Promise<ConversationRow> {
  const row = await scope.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
  if (!row) throw conversationNotFound();
  return row;
}

/** Whether the scope's org has this conversation (crm's tasks check the one they link to with it). */
export async function conversationExists(scope: OrgScope, conversationId: string): Promise<boolean> {
  return (await scope.selectFrom('conversations').select('id').where('id', '=', conversationId).executeTakeFirst()) !== undefined;
}

export async function conversationView(scope: OrgScope, conversationId: string): Promise<ConversationView> {
  return (await presentConversations(scope, [await conversationRow(scope, conversationId)]))[0]!;
}

/** Newest activity first; `?limit=&before=<cursor>`; `openedOn`: only those opened by a reply to these posts (a campaign's). */
export async function listConversations(
  scope: OrgScope,
  options: ConversationFilters & { before?: string | undefined; limit: number; openedOn?: RepliesToPosts | undefined },
): Promise<ConversationPage> {
  let query = whereFilters(scope.selectFrom('conversations').selectAll('conversations'), options, scope.actor.userId);
  if (options.openedOn) query = whereOpenedOnPosts(query, options.openedOn);
  if (options.before !== undefined) {
    const after = decodeConversationCursor(options.before);
    query = query.where((eb) =>
      eb.or([
        eb('conversations.last_message_at', '<', after.lastMessageAt),
        eb.and([eb('conversations.last_message_at', '=', after.lastMessageAt), eb('conversations.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('conversations.last_message_at', 'desc').orderBy('conversations.id', 'desc').limit(options.limit).execute();
  const last = rows.at(-1);
  return {
    conversations: await presentConversations(scope, rows),
    nextCursor: rows.length === options.limit && last ? encodeConversationCursor({ lastMessageAt: last.last_message_at, id: last.id }) : null,
  };
}

export async function conversationDetail(scope: OrgScope, conversationId: string): Promise<ConversationDetail> {
  const conversation = await conversationView(scope, conversationId);
  const messages = await scope
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const viewers = await viewerStates(
    scope,
    messages.flatMap((m) => (m.item_id ? [{ itemId: m.item_id, channelAccountId: conversation.channelAccountId }] : [])),
  );
  const direct = await directItemIds(
    scope,
    messages.flatMap((m) => (m.item_id ? [m.item_id] : [])),
  );
  return {
    conversation,
    messages: messages.map((m) => (m.item_id ? presentMessage(m, viewers.get(m.item_id), direct.has(m.item_id)) : presentMessage(m))),
  };
}

export interface ConversationChange {
  status?: ConversationStatus | undefined;
  assigneeUserId?: string | null | undefined;
  tags?: string[] | undefined;
}

/**
 * Status, assignee and tags. Closing records the resolution time; opening again clears it. Assigning
 * someone else rings their bell. Returns the members whose bell rang.
 */
export async function changeConversation(
  scope: OrgScope,
  conversationId: string,
  change: ConversationChange,
): Promise<{ conversation: ConversationView; toldUserIds: string[] }> {
  if (change.assigneeUserId && !(await membershipRole(scope.shared, scope.orgId, change.assigneeUserId))) {
    throw new DomainError('not_a_member', 'Conversations can only be assigned to members of this organization', 422);
  }
  return scope.transaction(async (tx) => {
    const row = await conversationRow(tx, conversationId);
    const now = tx.now();
    const tags = change.tags === undefined ? undefined : [...new Set(change.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
    const statusChange =
      change.status === undefined || change.status === row.status
        ? {}
        : change.status === 'closed'
          ? { status: change.status, resolved_at: now }
          : { status: change.status, resolved_at: null };
    await tx
      .updateTable('conversations')
      .set({
        ...statusChange,
        ...(change.assigneeUserId !== undefined ? { assignee_user_id: change.assigneeUserId } : {}),
        ...(tags !== undefined ? { tags: JSON.stringify(tags) } : {}),
        updated_at: now,
      })
      .where('id', '=', conversationId)
      .execute();
    const fields = Object.keys(change).filter((key) => change[key as keyof ConversationChange] !== undefined);
    if (fields.length > 0) await tx.audit('conversation.changed', { conversationId, ...change });
    let toldUserIds: string[] = [];
    const newAssignee = change.assigneeUserId;
    if (newAssignee && newAssignee !== row.assignee_user_id && newAssignee !== tx.actor.userId) {
      toldUserIds = await notifyMembers(tx, [newAssignee], {
        kind: 'conversation.assigned',
        title: `A conversation with ${row.author_display_name || row.author_handle} was assigned to you`,
        body: `@${row.author_handle} on ${row.network}`,
        link: `/orgs/${tx.orgId}/inbox?conversation=${row.id}`,
      });
    }
    return { conversation: await conversationView(tx, conversationId), toldUserIds };
  });
}

const presentView = (row: { id: string; name: string; filters: string; notify: number; created_at: string }): InboxViewView => ({
  id: row.id,
  name: row.name,
  filters: FiltersSchema.parse(JSON.parse(row.filters)),
  notify: row.notify === 1,
  createdAt: row.created_at,
});

/** The caller's own saved views, oldest first. */
export async function listViews(scope: OrgScope): Promise<InboxViewView[]> {
  const rows = await scope.selectFrom('inbox_views').selectAll().where('owner_user_id', '=', scope.actor.userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(presentView);
}

export const SAVED_VIEWS_PER_MEMBER = 50;

export async function saveView(scope: OrgScope, input: { name: string; filters: ConversationFilters; notify?: boolean | undefined }): Promise<InboxViewView> {
  return scope.transaction(async (tx) => {
    const { count } = await tx
      .selectFrom('inbox_views')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('owner_user_id', '=', tx.actor.userId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= SAVED_VIEWS_PER_MEMBER) throw new DomainError('too_many_views', `At most ${SAVED_VIEWS_PER_MEMBER} saved views per member`, 422);
    const row = {
      id: newId(),
      owner_user_id: tx.actor.userId,
      name: input.name,
      filters: JSON.stringify(input.filters),
      notify: input.notify ? 1 : 0,
      created_at: tx.now(),
    };
    await tx.insertInto('inbox_views', row);
    return presentView(row);
  });
}

export async function deleteView(scope: OrgScope, viewId: string): Promise<void> {
  const result = await scope.deleteFrom('inbox_views').where('id', '=', viewId).where('owner_user_id', '=', scope.actor.userId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new DomainError('view_not_found', 'Saved view not found', 404);
}
