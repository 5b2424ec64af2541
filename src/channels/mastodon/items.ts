import { z } from 'zod';
import type { NormalizedItem, PostMetrics, RemoteProfile, ViewerReactions } from '../connector.js';
import { htmlToText, sanitizeFeedHtml } from '../feed/html.js';

const count = z.number().int().nonnegative().catch(0);

export const account = z.object({
  id: z.string(),
  username: z.string(),
  acct: z.string(),
  display_name: z.string().catch(''),
  url: z.string().nullish(),
  avatar: z.string().nullish(),
  followers_count: count.optional(),
  following_count: count.optional(),
  statuses_count: count.optional(),
});

const attachment = z.object({ type: z.string(), url: z.string().nullish(), preview_url: z.string().nullish(), description: z.string().nullish() });

const statusCore = z.object({
  id: z.string(),
  url: z.string().nullish(),
  uri: z.string(),
  created_at: z.string(),
  account,
  content: z.string().catch(''),
  spoiler_text: z.string().catch(''),
  language: z.string().nullish(),
  in_reply_to_id: z.string().nullish(),
  media_attachments: z.array(attachment).catch([]),
  card: z
    .object({ url: z.string(), title: z.string().catch('') })
    .nullish()
    .catch(null),
  visibility: z.string().catch('public'),
  mentions: z.array(z.object({ id: z.string(), acct: z.string(), url: z.string().nullish() })).catch([]),
  tags: z.array(z.object({ name: z.string() })).catch([]),
  replies_count: count,
  reblogs_count: count,
  favourites_count: count,
  quotes_count: count.optional(),
  // Present only when the token's account reads the status (docs.joinmastodon.org/entities/Status#favourited).
  favourited: z.boolean().optional().catch(undefined),
  reblogged: z.boolean().optional().catch(undefined),
  quote: z
    .object({ quoted_status: z.object({ id: z.string() }).nullish() })
    .nullish()
    .catch(null),
});

export const status = statusCore.extend({ reblog: statusCore.nullish().catch(null) });
export const notification = z.object({ id: z.string(), type: z.string(), status: z.unknown().optional() });

type Account = z.infer<typeof account>;
type Status = z.infer<typeof statusCore>;

export function toRemoteProfile(author: Account): RemoteProfile {
  return {
    remoteId: author.id,
    handle: author.acct,
    displayName: author.display_name || author.username,
    avatarUrl: author.avatar ?? null,
    profileUrl: author.url ?? null,
  };
}

export function metricsOf(post: Status): PostMetrics {
  return { likes: post.favourites_count, reposts: post.reblogs_count, replies: post.replies_count, quotes: post.quotes_count ?? 0, views: null };
}

/** A status as Chorus shows it; a boost shows the boosted status. Null when malformed. */
export function itemFromStatus(raw: unknown): NormalizedItem | null {
  const parsed = status.safeParse(raw);
  if (!parsed.success) return null;
  const post = parsed.data.reblog ?? parsed.data;
  // Status content is remote HTML: sanitized here, before anything can render it.
  const rich = sanitizeFeedHtml(post.content, post.url ?? null);
  const warning = post.spoiler_text ? `${post.spoiler_text}\n\n` : '';
  return {
    network: 'mastodon',
    remoteId: post.id,
    url: post.url ?? post.uri,
    author: toRemoteProfile(post.account),
    text: warning + htmlToText(post.content),
    html: rich.html,
    links: [...new Set([...rich.links.filter((link) => !isMentionOrTag(link)), ...(post.card ? [post.card.url] : [])])],
    media: post.media_attachments.flatMap((media) => {
      const url = media.url ?? media.preview_url;
      return url ? [{ url, alt: media.description ?? '', mimeType: null }] : [];
    }),
    replyToRemoteId: post.in_reply_to_id ?? null,
    quoteOfRemoteId: post.quote?.quoted_status?.id ?? null,
    createdAt: post.created_at,
    language: post.language ?? null,
    metrics: metricsOf(post),
    mentions: post.mentions.map((mention) => ({ remoteId: mention.id, handle: mention.acct, profileUrl: mention.url ?? null })),
    tags: [...new Set(post.tags.map((tag) => tag.name))],
    cardTitle: post.card?.title.trim() || null,
    isDirect: post.visibility === 'direct',
    ...(post.favourited !== undefined || post.reblogged !== undefined ? { viewer: viewerOf(post) } : {}),
  };
}

/** The status id keys a favourite and a boost (what the connector's like and repost answer). */
function viewerOf(post: Status): ViewerReactions {
  const stated = (done: boolean) => (done ? { recordId: post.id } : null);
  return {
    ...(post.favourited !== undefined ? { like: stated(post.favourited) } : {}),
    ...(post.reblogged !== undefined ? { repost: stated(post.reblogged) } : {}),
  };
}

/** Mastodon renders mentions and hashtags as links to profiles and tag pages: not links the author shared. */
function isMentionOrTag(link: string): boolean {
  return /\/(@[^/]+|tags\/[^/]+|users\/[^/]+)\/?$/.test(new URL(link).pathname);
}
