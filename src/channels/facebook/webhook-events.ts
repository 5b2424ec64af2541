import type { Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../lib/ids.js';
import type { Database } from '../../store/database.js';

/**
 * A Page webhook delivery (Meta's "Webhooks for Pages"): {object: "page", entry: [{id, time,
 * changes: [{field: "feed", value: {item, verb, comment_id, post_id, parent_id, from, message,
 * created_time}}]}]}. Only new comments are kept; other changes are acknowledged and ignored.
 */
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

export interface NewComment {
  commentId: string;
  postId: string | null;
  parentId: string | null;
  fromId: string | null;
  fromName: string | null;
  text: string;
  occurredAt: string;
}

/** New comments on this Page by others (the Page's own replies are not inbox material). */
export function newComments(body: MetaWebhookBody, pageId: string): NewComment[] {
  const found: NewComment[] = [];
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
        commentId: value.data.comment_id,
        postId: value.data.post_id ?? null,
        parentId: value.data.parent_id && value.data.parent_id !== value.data.post_id ? value.data.parent_id : null,
        fromId: value.data.from?.id ?? null,
        fromName: value.data.from?.name ?? null,
        text: value.data.message ?? '',
        occurredAt: Number.isNaN(occurred.getTime()) ? new Date(0).toISOString() : occurred.toISOString(),
      });
    }
  }
  return found;
}

/** One statement; a redelivered comment (same id) is ignored. Returns how many were new. */
export async function storeMetaComments(db: Kysely<Database>, channel: MetaChannelRef, comments: NewComment[], receivedAt: string): Promise<number> {
  if (comments.length === 0) return 0;
  const rows = comments.map((c) => ({
    id: newId(),
    org_id: channel.orgId,
    channel_id: channel.channelId,
    event_key: `feed:comment:add:${c.commentId}`,
    field: 'feed',
    object_id: c.commentId,
    post_id: c.postId,
    parent_id: c.parentId,
    from_id: c.fromId,
    from_name: c.fromName,
    text: c.text,
    occurred_at: c.occurredAt,
    received_at: receivedAt,
  }));
  const inserted = await db
    .insertInto('meta_webhook_events')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['channel_id', 'event_key']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
