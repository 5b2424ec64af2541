import { z } from 'zod';
import type { NormalizedItem } from '../connector.js';
import type { GraphApi } from '../facebook/api.js';
import type { MetaWebhookEventsTable } from '../facebook/tables.js';
import type { OrgScope } from '../../teams/org-scope.js';

const mentioned = z.object({
  mentioned_comment: z.object({ id: z.string(), text: z.string().default(''), username: z.string().optional() }).optional(),
  mentioned_media: z.object({ id: z.string(), caption: z.string().default(''), username: z.string().optional() }).optional(),
});

/**
 * What the Instagram webhook stored for this account, newest first, as stream items: comments on
 * its media and mentions of it. A mention arrives as ids only; its text and author are read once
 * (GET /{ig-user-id}?fields=mentioned_comment.comment_id(…) or mentioned_media.media_id(…)) and kept.
 */
export async function instagramWebhookItems(scope: OrgScope, api: GraphApi, channelId: string, igUserId: string): Promise<NormalizedItem[]> {
  const rows = await scope
    .selectFrom('meta_webhook_events')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('field', 'in', ['comments', 'mentions'])
    .orderBy('occurred_at', 'desc')
    .limit(50)
    .execute();
  const items: NormalizedItem[] = [];
  for (const row of rows) {
    const ready = row.field === 'mentions' && row.from_name === null ? await resolveMention(scope, api, row, igUserId) : row;
    if (ready) items.push(webhookItem(ready));
  }
  return items;
}

async function resolveMention(scope: OrgScope, api: GraphApi, row: MetaWebhookEventsTable, igUserId: string): Promise<MetaWebhookEventsTable | null> {
  const inCaption = row.object_id === row.post_id;
  const fields = inCaption
    ? `mentioned_media.media_id(${row.object_id}){id,caption,username}`
    : `mentioned_comment.comment_id(${row.object_id}){id,text,username}`;
  let answer: z.infer<typeof mentioned>;
  try {
    answer = mentioned.parse(await api.call({ path: igUserId, query: { fields } }));
  } catch {
    // Not readable now (throttled, deleted): left for the next read; the poll goes on.
    return null;
  }
  const text = answer.mentioned_comment?.text ?? answer.mentioned_media?.caption ?? '';
  const username = answer.mentioned_comment?.username ?? answer.mentioned_media?.username ?? 'unknown';
  await scope.updateTable('meta_webhook_events').set({ text, from_name: username }).where('id', '=', row.id).execute();
  return { ...row, text, from_name: username };
}

function webhookItem(row: MetaWebhookEventsTable): NormalizedItem {
  const name = row.from_name ?? 'unknown';
  return {
    network: 'instagram',
    remoteId: row.object_id,
    url: null,
    author: {
      remoteId: row.from_id ?? name,
      handle: name,
      displayName: name,
      avatarUrl: null,
      profileUrl: name === 'unknown' ? null : `https://www.instagram.com/${name}`,
    },
    text: row.text,
    html: null,
    links: [],
    media: [],
    // A comment answers its parent comment or the media; a mention in a caption is the media itself.
    replyToRemoteId: row.object_id === row.post_id ? null : (row.parent_id ?? row.post_id),
    quoteOfRemoteId: null,
    createdAt: row.occurred_at,
    language: null,
    metrics: null,
  };
}

/** The stored mention with this id (a comment on someone else's media, or their media itself), if it is one. */
export async function storedMention(scope: OrgScope, channelId: string, objectId: string): Promise<MetaWebhookEventsTable | undefined> {
  return scope
    .selectFrom('meta_webhook_events')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('field', '=', 'mentions')
    .where('object_id', '=', objectId)
    .executeTakeFirst();
}

const created = z.object({ id: z.string() });
const mentionReplies = z.object({
  mentioned_comment: z
    .object({
      replies: z
        .object({ data: z.array(z.object({ id: z.string(), text: z.string().default(''), from: z.object({ id: z.string() }).optional() })) })
        .optional(),
    })
    .optional(),
});

/**
 * Answers a mention on someone else's media (POST /{ig-user-id}/mentions with media_id, the
 * comment_id when the mention is a comment, and the message): the media's owner, not this
 * account, owns the comment, so /{comment}/replies would be refused. A retry of a comment reply
 * first looks among the mentioned comment's replies for this account's same text.
 */
export async function replyToMention(
  api: GraphApi,
  mention: MetaWebhookEventsTable,
  request: { igUserId: string; text: string; attempt: number | undefined },
): Promise<{ remoteId: string; url: null; alreadyExisted: boolean }> {
  const inCaption = mention.object_id === mention.post_id;
  if (request.attempt !== 1 && !inCaption) {
    const answer = mentionReplies.parse(
      await api.call({ path: request.igUserId, query: { fields: `mentioned_comment.comment_id(${mention.object_id}){replies{id,text,from}}` } }),
    );
    const earlier = answer.mentioned_comment?.replies?.data.find((r) => r.from?.id === request.igUserId && r.text.trim() === request.text);
    if (earlier) return { remoteId: earlier.id, url: null, alreadyExisted: true };
  }
  const form: Record<string, string> = { media_id: mention.post_id ?? mention.object_id, message: request.text };
  if (!inCaption) form.comment_id = mention.object_id;
  const answer = created.parse(await api.call({ method: 'POST', path: `${request.igUserId}/mentions`, form }));
  return { remoteId: answer.id, url: null, alreadyExisted: false };
}
