import { AtUri } from '@atproto/api';
import { z } from 'zod';
import type { NormalizedItem, PostMetrics, RemoteProfile } from '../connector.js';
import { profileUrl } from './profile-url.js';

export { profileUrl };

/** What we read from AppView answers. Anything else in them is ignored; a malformed post is skipped. */
const profileView = z.object({
  did: z.string(),
  handle: z.string(),
  displayName: z.string().optional(),
  avatar: z.string().optional(),
});

const strongRef = z.object({ uri: z.string(), cid: z.string() });

const facet = z.object({
  features: z.array(z.looseObject({ $type: z.string().optional(), uri: z.string().optional() })),
});

const postRecord = z.object({
  text: z.string().catch(''),
  createdAt: z.string().optional(),
  langs: z.array(z.string()).optional().catch(undefined),
  reply: z.object({ root: strongRef, parent: strongRef }).optional().catch(undefined),
  facets: z.array(facet).optional().catch(undefined),
});

const imageView = z.object({ fullsize: z.string(), alt: z.string().catch('') });

const embedView = z.looseObject({
  $type: z.string().optional(),
  images: z.array(imageView).optional(),
  external: z.object({ uri: z.string() }).optional(),
  record: z.looseObject({ uri: z.string().optional(), record: z.looseObject({ uri: z.string().optional() }).optional() }).optional(),
  media: z.looseObject({ images: z.array(imageView).optional(), external: z.object({ uri: z.string() }).optional() }).optional(),
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
});

// Pages are checked item by item, so one hostile entry cannot hide the rest of a page.
export const feedPage = z.object({ feed: z.array(z.unknown()), cursor: z.string().optional() });
export const feedEntry = z.object({ post: z.unknown() });
export const searchPage = z.object({ posts: z.array(z.unknown()), cursor: z.string().optional() });
export const notificationPage = z.object({ notifications: z.array(z.unknown()), cursor: z.string().optional() });
export const notification = z.object({ uri: z.string(), author: profileView, reason: z.string(), record: z.unknown(), indexedAt: z.string() });

export type PostView = z.infer<typeof postView>;
type ProfileView = z.infer<typeof profileView>;

export function postUrl(handle: string, uri: string): string {
  return `${profileUrl(handle)}/post/${new AtUri(uri).rkey}`;
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
export function itemFromPostView(raw: unknown): NormalizedItem | null {
  const parsed = postView.safeParse(raw);
  if (!parsed.success) return null;
  const post = parsed.data;
  const item = itemFromRecord({ uri: post.uri, author: post.author, record: post.record, indexedAt: post.indexedAt });
  const embed = post.embed;
  const images = embed?.images ?? embed?.media?.images ?? [];
  const external = embed?.external?.uri ?? embed?.media?.external?.uri;
  return {
    ...item,
    links: external && !item.links.includes(external) ? [...item.links, external] : item.links,
    media: images.map((image) => ({ url: image.fullsize, alt: image.alt })),
    quoteOfRemoteId: embed?.record?.uri ?? embed?.record?.record?.uri ?? null,
    metrics: metricsOf(post),
  };
}

/** A post from its record alone (notifications carry the record, not a view). */
export function itemFromRecord(source: { uri: string; author: ProfileView; record: unknown; indexedAt: string }): NormalizedItem {
  const parsed = postRecord.safeParse(source.record);
  const record = parsed.success ? parsed.data : { text: '' };
  const links = (record.facets ?? []).flatMap((f) => f.features.flatMap((feature) => (feature.$type === 'app.bsky.richtext.facet#link' && feature.uri ? [feature.uri] : [])));
  const embed = z.looseObject({ record: z.looseObject({ uri: z.string().optional(), record: z.looseObject({ uri: z.string().optional() }).optional() }).optional() }).safeParse((source.record as { embed?: unknown } | null)?.embed);
  return {
    network: 'bluesky',
    remoteId: source.uri,
    url: postUrl(source.author.handle, source.uri),
    author: toRemoteProfile(source.author),
    text: record.text,
    html: null,
    links,
    media: [],
    replyToRemoteId: record.reply?.parent.uri ?? null,
    quoteOfRemoteId: (embed.success && (embed.data.record?.uri ?? embed.data.record?.record?.uri)) || null,
    createdAt: validDate(record.createdAt) ?? source.indexedAt,
    language: record.langs?.[0] ?? null,
    metrics: null,
  };
}

function validDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
