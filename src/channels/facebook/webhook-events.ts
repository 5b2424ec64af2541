import type { Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../lib/ids.js';
import type { Database } from '../../store/database.js';

/**
 * A Meta webhook delivery: {object, entry: [{id, time, changes: [{field, value}], messaging: [...]}]}
 * ("Webhooks for Pages", "Messenger Platform webhook events", "Instagram webhooks"). Only what Chorus
 * keeps is read: everything else is acknowledged and ignored, so a new Meta field never makes a
 * delivery fail (Meta would redeliver it for hours).
 */
export const metaWebhookBody = z.object({
  object: z.string(),
  entry: z
    .array(
      z.object({
        id: z.string().max(100),
        time: z.number().optional(),
        changes: z
          .array(z.object({ field: z.string(), value: z.unknown() }))
          .max(1000)
          .default([]),
        messaging: z.array(z.unknown()).max(1000).default([]),
      }),
    )
    .max(1000),
});
export type MetaWebhookBody = z.infer<typeof metaWebhookBody>;

export interface MetaChannelRef {
  orgId: string;
  channelId: string;
  remoteId: string;
}

/** One event as it is stored: `key` makes a redelivery the same row. */
export interface MetaEvent {
  key: string;
  /** feed (Page comments), mention (the Page named elsewhere), messages (Messenger), comments and mentions (Instagram). */
  field: 'feed' | 'mention' | 'messages' | 'comments' | 'mentions';
  objectId: string;
  postId: string | null;
  parentId: string | null;
  fromId: string | null;
  fromName: string | null;
  text: string;
  occurredAt: string;
}

const isoOrEpoch = (at: Date): string => (Number.isNaN(at.getTime()) ? new Date(0).toISOString() : at.toISOString());

const feedValue = z.object({
  item: z.string(),
  verb: z.string(),
  comment_id: z.string().max(200).optional(),
  post_id: z.string().max(200).optional(),
  parent_id: z.string().max(200).optional(),
  from: z.object({ id: z.string().max(100), name: z.string().max(500).optional() }).optional(),
  message: z.string().max(70_000).optional(),
  created_time: z.union([z.number(), z.string()]).optional(),
});

/** New comments on this Page by others (the Page's own replies are not inbox material). */
export function newComments(body: MetaWebhookBody, pageId: string): MetaEvent[] {
  const found: MetaEvent[] = [];
  for (const entry of body.entry) {
    if (entry.id !== pageId) continue;
    for (const change of entry.changes) {
      if (change.field !== 'feed') continue;
      const value = feedValue.safeParse(change.value);
      if (!value.success || value.data.item !== 'comment' || value.data.verb !== 'add' || !value.data.comment_id) continue;
      if (value.data.from?.id === pageId) continue;
      const time = value.data.created_time;
      const occurred = typeof time === 'number' ? new Date(time * 1000) : time ? new Date(time) : new Date((entry.time ?? 0) * 1000);
      found.push({
        key: `feed:comment:add:${value.data.comment_id}`,
        field: 'feed',
        objectId: value.data.comment_id,
        postId: value.data.post_id ?? null,
        parentId: value.data.parent_id && value.data.parent_id !== value.data.post_id ? value.data.parent_id : null,
        fromId: value.data.from?.id ?? null,
        fromName: value.data.from?.name ?? null,
        text: value.data.message ?? '',
        occurredAt: isoOrEpoch(occurred),
      });
    }
  }
  return found;
}

const mentionValue = z.object({
  item: z.string(),
  verb: z.string(),
  post_id: z.string().min(1).max(200),
  comment_id: z.string().max(200).optional(),
  sender_id: z.string().max(100).optional(),
  sender_name: z.string().max(500).optional(),
  message: z.string().max(70_000).optional(),
  created_time: z.union([z.number(), z.string()]).optional(),
});

/** Posts and comments elsewhere that name the Page (the `mention` field): new ones only, not the Page's own. */
export function newPageMentions(body: MetaWebhookBody, pageId: string): MetaEvent[] {
  const found: MetaEvent[] = [];
  for (const entry of body.entry) {
    if (entry.id !== pageId) continue;
    for (const change of entry.changes) {
      if (change.field !== 'mention') continue;
      const value = mentionValue.safeParse(change.value);
      if (!value.success || value.data.verb !== 'add' || value.data.sender_id === pageId) continue;
      const objectId = value.data.item === 'comment' && value.data.comment_id ? value.data.comment_id : value.data.post_id;
      const time = value.data.created_time;
      const occurred = typeof time === 'number' ? new Date(time * 1000) : time ? new Date(time) : new Date((entry.time ?? 0) * 1000);
      found.push({
        key: `mention:${objectId}`,
        field: 'mention',
        objectId,
        postId: value.data.post_id,
        parentId: null,
        fromId: value.data.sender_id ?? null,
        fromName: value.data.sender_name ?? null,
        text: value.data.message ?? '',
        occurredAt: isoOrEpoch(occurred),
      });
    }
  }
  return found;
}

const messagingEvent = z.object({
  sender: z.object({ id: z.string().min(1).max(100) }),
  recipient: z.object({ id: z.string().min(1).max(100) }),
  /** Milliseconds since the epoch (Messenger's unit, unlike the feed's seconds). */
  timestamp: z.number(),
  message: z
    .object({
      mid: z.string().min(1).max(500),
      text: z.string().max(20_000).optional(),
      is_echo: z.boolean().optional(),
      attachments: z
        .array(z.object({ type: z.string().max(40) }))
        .max(100)
        .optional(),
    })
    .optional(),
});

/** What a Messenger message says in a column: its text, or the kinds of what it carried. */
function messengerText(message: NonNullable<z.infer<typeof messagingEvent>['message']>): string {
  const attached = (message.attachments ?? []).map((a) => `[${a.type}]`).join(' ');
  return [message.text ?? '', attached].filter(Boolean).join(' ');
}

/**
 * Messages people sent the Page on Messenger (`messaging` entries with a `message`). Echoes of the
 * Page's own sends, deliveries, reads and postbacks carry no such message, or are the Page's, and
 * are left out.
 */
export function newMessengerMessages(body: MetaWebhookBody, pageId: string): MetaEvent[] {
  const found: MetaEvent[] = [];
  for (const entry of body.entry) {
    if (entry.id !== pageId) continue;
    for (const raw of entry.messaging) {
      const event = messagingEvent.safeParse(raw);
      if (!event.success || !event.data.message || event.data.message.is_echo) continue;
      if (event.data.recipient.id !== pageId || event.data.sender.id === pageId) continue;
      found.push({
        key: `messages:${event.data.message.mid}`,
        field: 'messages',
        objectId: event.data.message.mid,
        postId: null,
        parentId: null,
        fromId: event.data.sender.id,
        fromName: null,
        text: messengerText(event.data.message),
        occurredAt: isoOrEpoch(new Date(event.data.timestamp)),
      });
    }
  }
  return found;
}

/** Rows per INSERT: 13 columns each stays under SQLite's bound-parameter limit. */
const ROWS_PER_INSERT = 500;

/** One transaction; a redelivered event (same key) is ignored. Returns how many were new. */
export async function storeMetaEvents(db: Kysely<Database>, channel: MetaChannelRef, events: MetaEvent[], receivedAt: string): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({
    id: newId(),
    org_id: channel.orgId,
    channel_id: channel.channelId,
    event_key: e.key,
    field: e.field,
    object_id: e.objectId,
    post_id: e.postId,
    parent_id: e.parentId,
    from_id: e.fromId,
    from_name: e.fromName,
    text: e.text,
    occurred_at: e.occurredAt,
    received_at: receivedAt,
  }));
  return db.transaction().execute(async (tx) => {
    let stored = 0;
    for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
      const inserted = await tx
        .insertInto('meta_webhook_events')
        .values(rows.slice(at, at + ROWS_PER_INSERT))
        .onConflict((conflict) => conflict.columns(['channel_id', 'event_key']).doNothing())
        .returning('id')
        .execute();
      stored += inserted.length;
    }
    return stored;
  });
}
