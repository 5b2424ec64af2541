import { AtUri } from '@atproto/api';
import { z } from 'zod';
import { blueskyProfileUrl } from '../../../core/networks/bluesky.js';
import type { ItemMention, NormalizedItem, PostMetrics, RemoteProfile } from '../connector.js';
import { facetSchema, renderRichText, type RichTextLinks } from './facets.js';

/** What we read from AppView answers. Anything else in them is ignored; a malformed post is skipped. */
const profileView = z.object({
  did: z.string(),
  handle: z.string(),
  displayName: z.string().optional(),
  avatar: z.string().optional(),
});

const strongRef = z.object({ uri: z.string(), cid: z.string() });

const postRecord = z.object({
  text: z.string().catch(''),
  createdAt: z.string().optional(),
  langs: z.array(z.string()).optional().catch(undefined),
  reply: z.object({ root: strongRef, parent: strongRef }).optional().catch(undefined),
  // One malformed facet drops only itself.
  facets: z.array(z.unknown()).optional().catch(undefined),
  tags: z.array(z.string()).optional().catch(undefined),
});

const imageView = z.object({ fullsize: z.string(), alt: z.string().catch('') });

const embedView = z.looseObject({
  $type: z.string().optional(),
  images: z.array(imageView).optional(),
  external: z.object({ uri: z.string(), title: z.string().optional().catch(undefined) }).optional(),
  record: z.looseObject({ uri: z.string().optional(), record: z.looseObject({ uri: z.string().optional() }).optional() }).optional(),
  media: z
    .looseObject({ images: z.array(imageView).optional(), external: z.object({ uri: z.string(), title: z.string().optional().catch(undefined) }).optional() })
    .optional(),
});

const count = z.number().int().nonnegative().optional();

export const postView = z.object({
  uri: z.string(),
  cid: z.string(),
  author: profileView,
  record: z.unknown(),
  embed: embedView.optional().catch(undefined),
  likeCount: count,
  repostCount: count,
  replyCount: count,
  quoteCount: count,
  indexedAt: z.string(),
  /** The reading account's own like and repost records (at-uris); absent when the AppView was asked without an account. */
  viewer: z.object({ like: z.string().optional(), repost: z.string().optional() }).optional().catch(undefined),
});

// Pages are checked item by item, so one hostile entry cannot hide the rest of a page.
export const feedPage = z.object({ feed: z.array(z.unknown()), cursor: z.string().optional() });
export const feedEntry = z.object({ post: z.unknown() });
export const searchPage = z.object({ posts: z.array(z.unknown()), cursor: z.string().optional() });
export const notificationPage = z.object({ notifications: z.array(z.unknown()), cursor: z.string().optional() });
export const notification = z.object({ uri: z.string(), author: profileView, reason: z.string(), record: z.unknown(), indexedAt: z.string() });

export type PostView = z.infer<typeof postView>;
type ProfileView = z.infer<typeof profileView>;

export const profileUrl = blueskyProfileUrl;

/** Mentions and tags open in the same web view as the author's profile. */
const richTextLinks: RichTextLinks = {
  profile: (did) => profileUrl(did),
  tag: (tag) => `https://bsky.app/hashtag/${encodeURIComponent(tag)}`,
};

/** The web app that shows posts of the main network; accounts on other networks get no web view. */
export const BLUESKY_WEB_VIEW = 'https://bsky.app';

/**
 * Where a post opens: the web view's page for it, or its at-uri when the account's network has no
 * web view Chorus knows (a post on a PDS outside the main network is not on bsky.app).
 */
export function postUrl(handle: string, uri: string, webView: string | null = BLUESKY_WEB_VIEW): string {
  return webView ? `${webView}/profile/${handle}/post/${new AtUri(uri).rkey}` : uri;
}

/** The web view for an account served by `service`: bsky.app for the main network, else none. */
export function webViewOf(service: string): string | null {
  let host: string;
  try {
    host = new URL(service).hostname.toLowerCase();
  } catch {
    return null;
  }
  const main = host === 'bsky.social' || host === 'bsky.app' || host.endsWith('.bsky.network') || host.endsWith('.bsky.social');
  return main ? BLUESKY_WEB_VIEW : null;
}

export function toRemoteProfile(profile: ProfileView): RemoteProfile {
  return {
    remoteId: profile.did,
    handle: profile.handle,
    displayName: profile.displayName || profile.handle,
    avatarUrl: profile.avatar ?? null,
    profileUrl: profileUrl(profile.handle),
  };
}

export function metricsOf(post: PostView): PostMetrics {
  return {
    likes: post.likeCount ?? 0,
    reposts: post.repostCount ?? 0,
    replies: post.replyCount ?? 0,
    quotes: post.quoteCount ?? 0,
    views: null,
  };
}

/** A post as the AppView shows it (timelines, search, author feeds). Null when it is malformed. */
export function itemFromPostView(raw: unknown, webView: string | null = BLUESKY_WEB_VIEW): NormalizedItem | null {
  const parsed = postView.safeParse(raw);
  if (!parsed.success) return null;
  const post = parsed.data;
  const item = itemFromRecord({ uri: post.uri, author: post.author, record: post.record, indexedAt: post.indexedAt }, webView);
  const embed = post.embed;
  const images = embed?.images ?? embed?.media?.images ?? [];
  const card = embed?.external ?? embed?.media?.external;
  const external = card?.uri;
  return {
    ...item,
    cardTitle: card?.title?.trim() || item.cardTitle || null,
    links: external && !item.links.includes(external) ? [...item.links, external] : item.links,
    media: images.map((image) => ({ url: image.fullsize, alt: image.alt })),
    quoteOfRemoteId: embed?.record?.uri ?? embed?.record?.record?.uri ?? null,
    metrics: metricsOf(post),
    ...(post.viewer
      ? { viewer: { like: post.viewer.like ? { recordId: post.viewer.like } : null, repost: post.viewer.repost ? { recordId: post.viewer.repost } : null } }
      : {}),
  };
}

/** A post from its record alone (notifications carry the record, not a view). */
export function itemFromRecord(
  source: { uri: string; author: ProfileView; record: unknown; indexedAt: string },
  webView: string | null = BLUESKY_WEB_VIEW,
): NormalizedItem {
  const parsed = postRecord.safeParse(source.record);
  const record = parsed.success ? parsed.data : { text: '' };
  const facets = (record.facets ?? []).flatMap((raw) => {
    const facet = facetSchema.safeParse(raw);
    return facet.success ? [facet.data] : [];
  });
  const rich = renderRichText(record.text, facets, richTextLinks);
  const card = z.object({ external: z.object({ title: z.string() }) }).safeParse((source.record as { embed?: unknown } | null)?.embed);
  const embed = z
    .looseObject({ record: z.looseObject({ uri: z.string().optional(), record: z.looseObject({ uri: z.string().optional() }).optional() }).optional() })
    .safeParse((source.record as { embed?: unknown } | null)?.embed);
  return {
    network: 'bluesky',
    remoteId: source.uri,
    url: postUrl(source.author.handle, source.uri, webView),
    author: toRemoteProfile(source.author),
    text: record.text,
    html: rich.html,
    links: rich.links,
    mentions: uniqueMentions(rich.mentions),
    tags: [...new Set([...rich.tags, ...('tags' in record ? (record.tags ?? []) : [])])],
    cardTitle: (card.success && card.data.external.title.trim()) || null,
    isDirect: false,
    media: [],
    replyToRemoteId: record.reply?.parent.uri ?? null,
    quoteOfRemoteId: (embed.success && (embed.data.record?.uri ?? embed.data.record?.record?.uri)) || null,
    createdAt: validDate(record.createdAt) ?? source.indexedAt,
    language: record.langs?.[0] ?? null,
    metrics: null,
  };
}

function uniqueMentions(mentions: ItemMention[]): ItemMention[] {
  return [...new Map(mentions.map((m) => [m.remoteId, m])).values()];
}

function validDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
