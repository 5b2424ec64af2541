import type { Kysely } from 'kysely';
import { newId } from '../../lib/ids.js';
import { decodeChatCursor, encodeChatCursor, withPreviousFromSender } from '../chat-threads.js';
import type { Database } from '../../store/database.js';
import type { OrgScope } from '../../teams/org-scope.js';
import type { LineInboundEventsTable } from './tables.js';
import { messageText, type LineWebhookEvent } from './webhook-events.js';

export interface LineChannelRef {
  orgId: string;
  channelId: string;
}

/**
 * Stores a delivery's events in one statement; a redelivered event (same webhookEventId) is
 * ignored, so LINE's retries never make a second message. Returns how many were new.
 */
export async function storeLineEvents(db: Kysely<Database>, channel: LineChannelRef, events: LineWebhookEvent[], receivedAt: string): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((event) => ({
    id: newId(),
    org_id: channel.orgId,
    channel_id: channel.channelId,
    webhook_event_id: event.webhookEventId,
    event_type: event.type,
    user_id: event.source?.userId ?? null,
    message_id: event.message?.id ?? null,
    message_type: event.message?.type ?? null,
    text: messageText(event),
    occurred_at: new Date(event.timestamp).toISOString(),
    received_at: receivedAt,
  }));
  const inserted = await db
    .insertInto('line_inbound_events')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['channel_id', 'webhook_event_id']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

export interface LineMessagePage {
  /** Newest first, each with the id of the message its sender wrote before it (null for their first). */
  messages: { row: LineInboundEventsTable; previousMessageId: string | null }[];
  olderCursor: string | null;
}

/**
 * Chat messages users sent the account, newest first, older than `before` when given. Each one
 * names the same person's message before it as the one it follows, so the inbox files a person's
 * chat into one conversation (a LINE chat has no reply chain of its own).
 */
export async function listLineMessages(scope: OrgScope, channelId: string, options: { before?: string | null; limit: number }): Promise<LineMessagePage> {
  const messages = () => scope.selectFrom('line_inbound_events').where('channel_id', '=', channelId).where('event_type', '=', 'message');
  let query = messages()
    .selectAll()
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1);
  if (options.before) {
    const [at, id] = decodeChatCursor(options.before);
    query = query.where((eb) => eb.or([eb('occurred_at', '<', at), eb.and([eb('occurred_at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  const threaded = await withPreviousFromSender(
    page,
    (row) => row.user_id,
    (row) => row.message_id,
    async (row, sender) =>
      (
        await messages()
          .select('message_id')
          .where('user_id', '=', sender)
          .where((eb) => eb.or([eb('occurred_at', '<', row.occurred_at), eb.and([eb('occurred_at', '=', row.occurred_at), eb('id', '<', row.id)])]))
          .orderBy('occurred_at', 'desc')
          .orderBy('id', 'desc')
          .executeTakeFirst()
      )?.message_id ?? null,
  );
  const found: LineMessagePage['messages'] = threaded.map(({ row, previousId }) => ({ row, previousMessageId: previousId }));
  return { messages: found, olderCursor: rows.length > options.limit ? encodeChatCursor(page.at(-1)!) : null };
}
