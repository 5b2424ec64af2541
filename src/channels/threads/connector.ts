import { z } from 'zod';
import { THREADS_POSTS_PER_DAY, threadsLinks, threadsRules } from '../../../core/networks/threads.js';
import {
  failed,
  refusedText,
  type AccountHealth,
  type AccountMetrics,
  type ChannelConnector,
  type ConnectorResult,
  type NormalizedItem,
  type PostMetrics,
  type PostRef,
  type PublishedPost,
  type PublishImage,
  type PublishRequest,
  type RemoteProfile,
  type SendingQuota,
  type StreamPage,
  type StreamRequest,
  type TextMeasure,
} from '../connector.js';
import type { ChannelContext } from '../channel-context.js';
import { mediaHostMissing, type PublicImageHost } from '../public-images.js';
import { ThreadsApi } from './api.js';
import { healthWithTokenEnd } from '../token-expiry.js';
import { threadsCredentialsSchema, type ThreadsCredentials } from './credentials.js';
import { ThreadsProblem } from './failures.js';

export { threadsCredentialsSchema };

/** How far back a retry looks for a post an earlier attempt may have published. */
export const THREADS_RETRY_LOOKBACK_MS = 24 * 60 * 60_000;
/** The replies stream reads the replies to this many of the account's latest posts. */
export const THREADS_REPLIED_POSTS = 10;

const POST_FIELDS = 'id,media_type,media_url,permalink,username,text,timestamp,is_reply,replied_to,root_post,alt_text,link_attachment_url';
const me = z.object({ id: z.string(), username: z.string(), name: z.string().optional(), threads_profile_picture_url: z.string().optional() });
const created = z.object({ id: z.string() });
const containerStatus = z.object({ status: z.enum(['EXPIRED', 'ERROR', 'FINISHED', 'IN_PROGRESS', 'PUBLISHED']), error_message: z.string().optional() });
const post = z.object({
  id: z.string(),
  media_type: z.string().optional(),
  media_url: z.string().optional(),
  permalink: z.string().optional(),
  username: z.string().optional(),
  text: z.string().optional(),
  timestamp: z.string(),
  is_reply: z.boolean().optional(),
  replied_to: z.object({ id: z.string() }).optional(),
  root_post: z.object({ id: z.string() }).optional(),
  alt_text: z.string().optional(),
  link_attachment_url: z.string().optional(),
});
type ThreadsPost = z.infer<typeof post>;
/** Entries that do not parse are skipped, not fatal: one odd post must not hide the rest. */
const page = z.object({
  data: z.array(z.unknown()).default([]),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});
const insights = z.object({
  data: z.array(
    z.object({ name: z.string(), values: z.array(z.object({ value: z.number() })).optional(), total_value: z.object({ value: z.number() }).optional() }),
  ),
});
const publishingLimit = z.object({
  data: z.array(z.object({ quota_usage: z.number().int().nonnegative(), config: z.object({ quota_total: z.number().int().positive() }).optional() })),
});

/** Images go out as public addresses Threads fetches (`image_url`): `ctx.publicImages` serves them (null: `media_host_missing`). */
export function createThreadsConnector(credentials: ThreadsCredentials, ctx: Omit<ChannelContext, 'org' | 'channelId'>): ChannelConnector {
  return new ThreadsConnector(new ThreadsApi(threadsCredentialsSchema.parse(credentials), ctx), ctx.publicImages);
}

/**
 * A Threads account. Publishing is two calls: create a container (POST /me/threads), then
 * publish it (POST /me/threads_publish?creation_id=); several images are a carousel, whose
 * container names an item container per image. Threads takes no idempotency key; a retry
 * whose first attempt may have reached Threads first looks for the same text among the
 * account's posts (or replies) of the last 24 hours, as the X connector does.
 */
class ThreadsConnector implements ChannelConnector {
  readonly network = 'threads' as const;
  readonly capabilities = threadsRules.capabilities;

  constructor(
    private readonly api: ThreadsApi,
    private readonly imageHost: PublicImageHost | null,
  ) {}

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.api.run(async () => {
      await this.api.exchangeForLongLived();
      await this.api.learnExpiry();
      const account = me.parse(await this.api.call({ path: '/me', query: { fields: 'id,username,name,threads_profile_picture_url' } }));
      return {
        remoteId: account.id,
        handle: account.username,
        displayName: account.name || account.username,
        avatarUrl: account.threads_profile_picture_url ?? null,
        profileUrl: profileUrl(account.username),
      };
    });
  }

  health(): Promise<AccountHealth> {
    return healthWithTokenEnd(this.api.tokenEnd, this.api.now(), () => this.verify());
  }

  readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    if (request.kind !== 'user_posts' && request.kind !== 'mentions')
      return Promise.resolve(failed({ kind: 'permanent', code: 'unsupported_stream', message: `A Threads account has no "${request.kind}" stream` }));
    return this.api.run(async () => {
      const limit = String(Math.min(Math.max(request.limit ?? 25, 1), 100));
      if (request.kind === 'user_posts') {
        const raw = page.parse(await this.api.call({ path: '/me/threads', query: { fields: POST_FIELDS, limit, after: request.cursor ?? undefined } }));
        return { items: parsePosts(raw.data).map(toItem), olderCursor: raw.paging?.next ? (raw.paging.cursors?.after ?? null) : null };
      }
      // Replies to the latest posts, newest first: Threads has no "replies to me" feed.
      const own = parsePosts(
        page.parse(await this.api.call({ path: '/me/threads', query: { fields: 'id,timestamp', limit: String(THREADS_REPLIED_POSTS) } })).data,
      );
      const replies: ThreadsPost[] = [];
      for (const parent of own)
        replies.push(
          ...parsePosts(
            page.parse(await this.api.call({ path: `/${encodeURIComponent(parent.id)}/replies`, query: { fields: POST_FIELDS, reverse: 'false' } })).data,
          ),
        );
      replies.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
      return { items: replies.slice(0, Number(limit)).map(toItem), olderCursor: null };
    });
  }

  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    const refused = refusedText(this.measureText(request.text, request.images?.length));
    if (refused) return failed(refused);
    const images = request.images ?? [];
    const media = threadsRules.capabilities.media;
    if (images.length > media.maxImages)
      return failed({ kind: 'permanent', code: 'too_many_images', message: `A Threads carousel holds at most ${media.maxImages} images` });
    if (images.some((image) => !media.mimeTypes.includes(image.mimeType)))
      return failed({ kind: 'permanent', code: 'media_unsupported', message: 'Threads takes JPEG and PNG images only' });
    if (images.length && !this.imageHost) return failed(mediaHostMissing('Threads'));
    if (request.quote) return failed({ kind: 'permanent', code: 'unsupported', message: 'Chorus does not quote on Threads' });
    return this.api.run(async () => {
      if (request.attempt !== 1) {
        const earlier = await this.findEarlierCopy(request);
        if (earlier) return earlier;
      }
      // An image post may have no text: the parameter is then left out rather than sent empty.
      const shared = { text: request.text || undefined, reply_to_id: request.replyTo?.remoteId };
      let query: Record<string, string | undefined>;
      if (images.length > 1) {
        // A carousel: an item container per image (each with its alt text, checked ready), then the carousel naming them in order.
        const children: string[] = [];
        for (const image of images) {
          const item = await this.createContainer({ ...(await this.imageFields(image)), is_carousel_item: 'true' });
          await this.assertContainerReady(item);
          children.push(item);
        }
        query = { ...shared, media_type: 'CAROUSEL', children: children.join(',') };
      } else if (images.length === 1) query = { ...shared, ...(await this.imageFields(images[0]!)) };
      else query = { ...shared, media_type: 'TEXT', link_attachment: threadsLinks(request.text)[0] };
      const container = await this.createContainer(query);
      if (images.length) await this.assertContainerReady(container);
      const published = created.parse(await this.api.call({ method: 'POST', path: '/me/threads_publish', query: { creation_id: container } }));
      const found = post.safeParse(
        await this.api.call({ path: `/${encodeURIComponent(published.id)}`, query: { fields: 'id,permalink,timestamp' } }).catch(() => null),
      );
      return { remoteId: published.id, cid: null, url: found.success ? (found.data.permalink ?? null) : null, alreadyExisted: false };
    });
  }

  private async createContainer(query: Record<string, string | undefined>): Promise<string> {
    return created.parse(await this.api.call({ method: 'POST', path: '/me/threads', query })).id;
  }

  /** An IMAGE container's fields: the address Threads fetches the image from, and its alt text. */
  private async imageFields(image: PublishImage): Promise<Record<string, string | undefined>> {
    return { media_type: 'IMAGE', image_url: await this.imageHost!.publicUrlFor(image), alt_text: image.alt || undefined };
  }

  like = unsupported;
  repost = unsupported;
  unlike = unsupported;
  unrepost = unsupported;
  deletePost = unsupported;

  /** Views, likes, replies, reposts and quotes of one post (GET /{media-id}/insights). */
  postMetrics(ref: PostRef): Promise<ConnectorResult<PostMetrics>> {
    return this.api.run(async () => {
      const answer = insights.parse(
        await this.api.call({ path: `/${encodeURIComponent(ref.remoteId)}/insights`, query: { metric: 'views,likes,replies,reposts,quotes' } }),
      );
      const value = (name: string): number | null => {
        const metric = answer.data.find((m) => m.name === name);
        return metric ? (metric.total_value?.value ?? metric.values?.[0]?.value ?? null) : null;
      };
      return {
        views: value('views'),
        likes: value('likes') ?? 0,
        replies: value('replies') ?? 0,
        reposts: value('reposts') ?? 0,
        quotes: value('quotes') ?? 0,
      };
    });
  }

  /** Followers (GET /me/threads_insights?metric=followers_count). */
  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.api.run(async () => {
      const answer = insights.parse(await this.api.call({ path: '/me/threads_insights', query: { metric: 'followers_count' } }));
      const followers = answer.data.find((m) => m.name === 'followers_count');
      const count = followers?.total_value?.value ?? followers?.values?.[0]?.value;
      if (count === undefined) throw new ThreadsProblem('metrics_missing', 'Threads returned no follower count');
      return { followers: count, following: null, posts: null };
    });
  }

  /** Posts published in the last 24 hours against Threads' cap of 250 (replies have their own cap of 1 000). */
  quota(): Promise<ConnectorResult<SendingQuota>> {
    return this.api.run(async () => {
      const usage = publishingLimit.parse(await this.api.call({ path: '/me/threads_publishing_limit', query: { fields: 'quota_usage,config' } })).data[0];
      return { unit: 'posts', period: 'day', limit: usage?.config?.quota_total ?? THREADS_POSTS_PER_DAY, used: usage?.quota_usage ?? 0 };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return threadsRules.measureText(text, { mediaCount });
  }

  /**
   * Threads fetches the image when the container is made and may still be processing it: publishing
   * then would fail, so a container not yet FINISHED is a transient failure (the publisher retries
   * later, and the retry first looks for an earlier copy); one Threads could not take is permanent.
   */
  private async assertContainerReady(container: string): Promise<void> {
    const state = containerStatus.parse(await this.api.call({ path: `/${encodeURIComponent(container)}`, query: { fields: 'status,error_message' } }));
    if (state.status === 'FINISHED') return;
    if (state.status === 'IN_PROGRESS') throw new Error(`Threads is still processing the image of container ${container}`);
    throw new ThreadsProblem('media_refused', `Threads could not take the image (${state.status}${state.error_message ? `: ${state.error_message}` : ''})`);
  }

  /** The same text among the account's posts (or, for a reply, its replies to the same post) of the last 24 hours. */
  private async findEarlierCopy(request: PublishRequest): Promise<PublishedPost | null> {
    const since = String(Math.floor((this.api.now().getTime() - THREADS_RETRY_LOOKBACK_MS) / 1000));
    const path = request.replyTo ? '/me/replies' : '/me/threads';
    const raw = page.parse(await this.api.call({ path, query: { fields: POST_FIELDS, since, limit: '100' } }));
    const wanted = request.text.trim();
    for (const candidate of parsePosts(raw.data)) {
      if (request.replyTo && candidate.replied_to?.id !== request.replyTo.remoteId) continue;
      if ((candidate.text ?? '').trim() === wanted) return { remoteId: candidate.id, cid: null, url: candidate.permalink ?? null, alreadyExisted: true };
    }
    return null;
  }
}

function parsePosts(entries: unknown[]): ThreadsPost[] {
  return entries.flatMap((entry) => {
    const parsed = post.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

const profileUrl = (username: string): string => `https://www.threads.net/@${username}`;

function toItem(entry: ThreadsPost): NormalizedItem {
  const username = entry.username ?? 'unknown';
  const text = entry.text ?? '';
  const links = threadsLinks(text);
  if (entry.link_attachment_url && !links.includes(entry.link_attachment_url)) links.push(entry.link_attachment_url);
  return {
    network: 'threads',
    remoteId: entry.id,
    url: entry.permalink ?? null,
    author: { remoteId: username, handle: username, displayName: username, avatarUrl: null, profileUrl: entry.username ? profileUrl(entry.username) : null },
    text,
    html: null,
    links,
    media:
      entry.media_url && (entry.media_type === 'IMAGE' || entry.media_type === 'CAROUSEL_ALBUM') ? [{ url: entry.media_url, alt: entry.alt_text ?? '' }] : [],
    replyToRemoteId: entry.replied_to?.id ?? null,
    quoteOfRemoteId: null,
    createdAt: isoTime(entry.timestamp),
    language: null,
    metrics: null,
  };
}

/** Meta writes times as 2023-10-17T05:42:03+0000; an unreadable one fails the page's parse rather than storing garbage. */
function isoTime(timestamp: string): string {
  const ms = Date.parse(timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new ThreadsProblem('bad_timestamp', `Threads sent an unreadable time: ${timestamp.slice(0, 40)}`);
  return new Date(ms).toISOString();
}

async function unsupported(_post?: PostRef): Promise<ConnectorResult<never>> {
  return failed({ kind: 'permanent', code: 'unsupported', message: 'Chorus does not do this on Threads' });
}
