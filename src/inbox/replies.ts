import type { ConversationMessageView, ConversationView } from '../../core/api/inbox.js';
import { DomainError } from '../lib/domain-error.js';
import { newTimeOrderedId } from '../lib/ids.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { connectorFailureHttp } from '../channels/failure-http.js';
import { directItemIds, reactToItem, type ItemAction } from '../streams/actions.js';
import { accountHandle } from '../channels/org-accounts.js';
import type { OrgScope } from '../teams/org-scope.js';
import { conversationNotFound, conversationRow, conversationView } from './service.js';
import { presentMessage } from './views.js';

export interface ReplyInput {
  text: string;
  /** Send even though a teammate answered since the person last wrote. */
  confirm?: boolean | undefined;
}

/**
 * Someone else already answered: a reply by another teammate since the person last wrote. The
 * reply waits for the sender's confirmation (409) so the person does not get two answers.
 */
async function answeredByOther(scope: OrgScope, conversationId: string, lastInboundAt: string): Promise<{ userId: string | null; at: string } | null> {
  const other = await scope
    .selectFrom('conversation_messages')
    .select(['author_user_id', 'created_at'])
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'outbound')
    .where('state', 'in', ['sending', 'sent'])
    .where('created_at', '>=', lastInboundAt)
    .where((eb) => eb.or([eb('author_user_id', 'is', null), eb('author_user_id', '!=', scope.actor.userId)]))
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return other ? { userId: other.author_user_id, at: other.created_at } : null;
}

/**
 * Replies to the person's newest message through the conversation's account. The message is
 * stored as `sending` first and its id is the publish's idempotency key, so a retry cannot post
 * twice. The first reply records the first-response time.
 */
export async function replyToConversation(
  scope: OrgScope,
  directory: ChannelDirectory,
  conversationId: string,
  input: ReplyInput,
): Promise<{ conversation: ConversationView; message: ConversationMessageView }> {
  const conversation = await conversationRow(scope, conversationId);
  if (!input.confirm) {
    const other = await answeredByOther(scope, conversationId, conversation.last_inbound_at);
    if (other) {
      throw new DomainError(
        'conversation_already_answered',
        'A teammate already answered this conversation since the person last wrote: send again with confirm to reply anyway',
        409,
        {
          answeredByUserId: other.userId,
          answeredAt: other.at,
        },
      );
    }
  }
  const parent = await scope
    .selectFrom('conversation_messages')
    .select(['remote_id', 'item_id', 'author_handle'])
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound')
    .where('remote_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!parent?.remote_id) throw conversationNotFound();
  if (!conversation.channel_account_id) throw new DomainError('no_account', 'The account this conversation came through is no longer connected', 422);
  const opened = await directory.connectorFor(scope.orgId, conversation.channel_account_id, scope.actor.userId);
  if (!opened.ok) throw new DomainError('channel_unavailable', opened.reason, 422);
  const { connector } = opened;
  if (!connector.capabilities.reply) throw new DomainError('unsupported_action', `Replies cannot be sent to ${conversation.network} from Chorus`, 422);

  const authorHandle = await accountHandle(scope, conversation.channel_account_id);
  const messageId = newTimeOrderedId();
  await scope.insertInto('conversation_messages', {
    id: messageId,
    conversation_id: conversationId,
    network: conversation.network,
    direction: 'outbound',
    remote_id: null,
    item_id: null,
    author_user_id: scope.actor.userId,
    author_handle: authorHandle ?? '',
    text: input.text,
    url: null,
    state: 'sending',
    error: null,
    liked: 0,
    reposted: 0,
    created_at: scope.now(),
  });
  // A private message is answered privately: a public reply would put the customer's question in the open.
  const privately = parent.item_id !== null && (await directItemIds(scope, [parent.item_id])).has(parent.item_id);
  const replyTo = { remoteId: parent.remote_id, ...(privately ? { privateTo: parent.author_handle } : {}) };
  const result = await connector.publish({ idempotencyKey: messageId, text: input.text, replyTo, attempt: 1 });
  if (!result.ok) {
    await scope
      .updateTable('conversation_messages')
      .set({ state: 'failed', error: result.failure.message.slice(0, 1000) })
      .where('id', '=', messageId)
      .execute();
    throw connectorFailureHttp(result.failure, 'reply');
  }
  const sentAt = scope.now();
  await scope.transaction(async (tx) => {
    await tx
      .updateTable('conversation_messages')
      .set({ state: 'sent', remote_id: result.value.remoteId, url: result.value.url })
      .where('id', '=', messageId)
      .execute();
    await tx
      .updateTable('conversations')
      .set((eb) => ({ first_response_at: eb.fn.coalesce('first_response_at', eb.val(sentAt)), last_message_at: sentAt, updated_at: sentAt }))
      .where('id', '=', conversationId)
      .execute();
    await tx.audit('conversation.replied', { conversationId, messageId, remoteId: result.value.remoteId });
  });
  const message = await scope.selectFrom('conversation_messages').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow();
  return { conversation: await conversationView(scope, conversationId), message: presentMessage(message) };
}

/**
 * Like or repost one of the person's messages through the conversation's account: the streams'
 * one path (reactToItem), so the reaction is recorded on the message's stream item and the board
 * shows it too. A message whose item retention pruned can no longer be acted on (404 item_not_found).
 */
export async function actOnMessage(
  scope: OrgScope,
  directory: ChannelDirectory,
  conversationId: string,
  messageId: string,
  action: ItemAction,
): Promise<ConversationMessageView> {
  const conversation = await conversationRow(scope, conversationId);
  const message = await scope
    .selectFrom('conversation_messages')
    .selectAll()
    .where('id', '=', messageId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (!message?.remote_id || !message.item_id) throw new DomainError('message_not_found', 'Message not found', 404);
  if (!conversation.channel_account_id) throw new DomainError('no_account', 'The account this conversation came through is no longer connected', 422);
  const viewer = await reactToItem(scope, directory, message.item_id, { action, channelAccountId: conversation.channel_account_id });
  await scope.audit(`conversation.message_${action}d`, { conversationId, messageId });
  return presentMessage(message, viewer, (await directItemIds(scope, [message.item_id])).has(message.item_id));
}
