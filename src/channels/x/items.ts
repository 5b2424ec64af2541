import { z } from 'zod';
import type { NormalizedItem, PostMetrics, RemoteProfile } from '../connector.js';

/** The fields Chorus asks for on every tweet lookup (X returns only `id` and `text` otherwise). */
export const TWEET_QUERY = {
  'tweet.fields': 'created_at,author_id,lang,referenced_tweets,entities,attachments,public_metrics,conversation_id',
  expansions: 'author_id,attachments.media_keys',
  'user.fields': 'name,username,profile_image_url',
  'media.fields': 'url,preview_image_url,alt_text,type',
};

const count = z.number().int().nonnegative();

export const publicMetrics = z.object({
  retweet_count: count,
  reply_count: count,
  like_count: count,
  quote_count: count,
  impression_count: count.optional(),
});

export const tweet = z.object({
  id: z.string(),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  lang: z.string().optional(),
  referenced_tweets: z
    .array(z.object({ type: z.string(), id: z.string() }))
    .optional()
    .catch(undefined),
  entities: z
    .object({
      urls: z
        .array(z.object({ start: z.number(), end: z.number(), url: z.string(), expanded_url: z.string().optional(), media_key: z.string().optional() }))
        .optional(),
    })
    .optional()
    .catch(undefined),
  attachments: z
    .object({ media_keys: z.array(z.string()).optional() })
    .optional()
    .catch(undefined),
  public_metrics: publicMetrics.optional().catch(undefined),
});

const user = z.object({ id: z.string(), name: z.string(), username: z.string(), profile_image_url: z.string().optional() });
const media = z.object({
  media_key: z.string(),
  type: z.string(),
  url: z.string().optional(),
  preview_image_url: z.string().optional(),
  alt_text: z.string().optional(),
});

export const tweetPage = z.object({
  data: z.array(z.unknown()).default([]),
  includes: z.object({ users: z.array(z.unknown()).default([]), media: z.array(z.unknown()).default([]) }).default({ users: [], media: [] }),
  meta: z.object({ result_count: z.number().optional(), next_token: z.string().optional() }).default({}),
});

export const userLookup = z.object({
  data: user.extend({ public_metrics: z.object({ followers_count: count, following_count: count, tweet_count: count }).optional() }),
});

export type Tweet = z.infer<typeof tweet>;
type User = z.infer<typeof user>;

export function toRemoteProfile(account: User): RemoteProfile {
  return {
    remoteId: account.id,
    handle: account.username,
    displayName: account.name,
    avatarUrl: account.profile_image_url ?? null,
    profileUrl: `https://x.com/${account.username}`,
  };
}

export function metricsOf(metrics: z.infer<typeof publicMetrics>): PostMetrics {
  return {
    likes: metrics.like_count,
    reposts: metrics.retweet_count,
    replies: metrics.reply_count,
    quotes: metrics.quote_count,
    views: metrics.impression_count ?? null,
  };
}

/**
 * The text as the author typed it: X escapes &, < and > as HTML entities, shortens every link
 * to t.co and appends a t.co link for attached media.
 */
export function authoredText(post: Tweet): string {
  let text = post.text;
  const urls = [...(post.entities?.urls ?? [])].sort((a, b) => b.start - a.start);
  for (const url of urls) text = text.split(url.url).join(url.media_key ? '' : (url.expanded_url ?? url.url));
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&').trim();
}

/** Every valid tweet of a page, with its author and media from `includes`; malformed entries are skipped. */
export function itemsFromPage(raw: unknown): { items: NormalizedItem[]; nextToken: string | null } {
  const page = tweetPage.parse(raw);
  const users = new Map(valid(user, page.includes.users).map((u) => [u.id, u]));
  const mediaByKey = new Map(valid(media, page.includes.media).map((m) => [m.media_key, m]));
  const items: NormalizedItem[] = [];
  for (const entry of page.data) {
    const parsed = tweet.safeParse(entry);
    if (!parsed.success) continue;
    const post = parsed.data;
    const author = post.author_id ? users.get(post.author_id) : undefined;
    items.push({
      network: 'x',
      remoteId: post.id,
      url: `https://x.com/${author?.username ?? 'i'}/status/${post.id}`,
      author: author ? toRemoteProfile(author) : { remoteId: post.author_id ?? '', handle: '', displayName: '' },
      text: authoredText(post),
      html: null,
      links: (post.entities?.urls ?? []).flatMap((url) => (url.media_key ? [] : [url.expanded_url ?? url.url])),
      media: (post.attachments?.media_keys ?? []).flatMap((key) => {
        const found = mediaByKey.get(key);
        const url = found?.url ?? found?.preview_image_url;
        return found && url ? [{ url, alt: found.alt_text ?? '', mimeType: null }] : [];
      }),
      replyToRemoteId: post.referenced_tweets?.find((ref) => ref.type === 'replied_to')?.id ?? null,
      quoteOfRemoteId: post.referenced_tweets?.find((ref) => ref.type === 'quoted')?.id ?? null,
      createdAt: post.created_at ?? new Date(0).toISOString(),
      language: post.lang && post.lang !== 'und' ? post.lang : null,
      metrics: post.public_metrics ? metricsOf(post.public_metrics) : null,
    });
  }
  return { items, nextToken: page.meta.next_token ?? null };
}

function valid<T>(schema: z.ZodType<T>, entries: unknown[]): T[] {
  return entries.flatMap((entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}
