import { z } from 'zod';
import type { MetaEvent, MetaWebhookBody } from '../facebook/webhook-events.js';

/**
 * An Instagram webhook delivery ("Instagram webhooks": object `instagram`, entry[].id the
 * professional account). Kept: `comments` on the account's media, by others, and `mentions` of it
 * in comments on other people's media (Meta sends only the ids; the text is read when the stream is).
 */
const commentValue = z.object({
  id: z.string().min(1).max(200),
  text: z.string().max(20_000).optional(),
  parent_id: z.string().max(200).optional(),
  from: z.object({ id: z.string().max(100), username: z.string().max(100).optional() }).optional(),
  media: z.object({ id: z.string().max(200) }).optional(),
});
const mentionValue = z.object({ media_id: z.string().min(1).max(200), comment_id: z.string().min(1).max(200).optional() });

export function newInstagramEvents(body: MetaWebhookBody, igUserId: string): MetaEvent[] {
  const found: MetaEvent[] = [];
  for (const entry of body.entry) {
    if (entry.id !== igUserId) continue;
    const at = new Date((entry.time ?? 0) * 1000);
    const occurredAt = Number.isNaN(at.getTime()) ? new Date(0).toISOString() : at.toISOString();
    for (const change of entry.changes) {
      if (change.field === 'comments') {
        const value = commentValue.safeParse(change.value);
        if (!value.success || value.data.from?.id === igUserId) continue;
        found.push({
          key: `comments:${value.data.id}`,
          field: 'comments',
          objectId: value.data.id,
          postId: value.data.media?.id ?? null,
          parentId: value.data.parent_id ?? null,
          fromId: value.data.from?.id ?? null,
          fromName: value.data.from?.username ?? null,
          text: value.data.text ?? '',
          occurredAt,
        });
      } else if (change.field === 'mentions') {
        // A mention in a caption has no comment: the media is what mentions the account.
        const value = mentionValue.safeParse(change.value);
        if (!value.success) continue;
        const objectId = value.data.comment_id ?? value.data.media_id;
        found.push({
          key: `mentions:${objectId}`,
          field: 'mentions',
          objectId,
          postId: value.data.media_id,
          parentId: null,
          fromId: null,
          fromName: null,
          text: '',
          occurredAt,
        });
      }
    }
  }
  return found;
}
