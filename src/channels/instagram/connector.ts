import { z } from 'zod';
import { INSTAGRAM_DAILY_PUBLISH_LIMIT, instagramRules } from '../../../core/networks/instagram.js';
import {
  failed,
  refusedText,
  succeeded,
  type AccountHealth,
  type AccountMetrics,
  type ChannelConnector,
  type ConnectorResult,
  type NormalizedItem,
  type PostMetrics,
  type PostRef,
  type PublishedPost,
  type PublishRequest,
  type PublishImage,
  type RemoteProfile,
  type SendingQuota,
  type StreamPage,
  type StreamRequest,
  type TextMeasure,
} from '../connector.js';
import { GraphApi } from '../facebook/api.js';
import { GRAPH_VERSION } from '../facebook/credentials.js';
import type { ChannelContext } from '../channel-context.js';
import { mediaHostMissing, type PublicImageHost } from '../public-images.js';
import { healthWithTokenEnd } from '../token-expiry.js';
import type { OrgScope } from '../../teams/org-scope.js';
import { instagramWebhookItems, replyToMention, storedMention } from './webhook-items.js';
import { instagramCredentialsSchema, instagramTokenExpiry, type InstagramCredentials, type ParsedInstagramCredentials } from './credentials.js';

export { instagramCredentialsSchema };

export const INSTAGRAM_RETRY_LOOKBACK_MS = 24 * 60 * 60_000;
/** Container status checks before giving up on a container Instagram is still processing. */
const STATUS_CHECKS = 5;

const account = z.object({ id: z.string(), username: z.string(), name: z.string().optional(), profile_picture_url: z.string().optional() });
const limitAnswer = z.object({
  data: z.array(z.object({ quota_usage: z.number().int().nonnegative(), config: z.object({ quota_total: z.number().int().positive() }).optional() })),
});
const created = z.object({ id: z.string() });
const status = z.object({ status_code: z.enum(['EXPIRED', 'ERROR', 'FINISHED', 'IN_PROGRESS', 'PUBLISHED']) });
const media = z.object({
  id: z.string(),
  caption: z.string().optional(),
  media_type: z.string().optional(),
  media_url: z.string().optional(),
  permalink: z.string().optional(),
  timestamp: z.string(),
  username: z.string().optional(),
  like_count: z.number().int().nonnegative().optional(),
  comments_count: z.number().int().nonnegative().optional(),
});
const comment = z.object({
  id: z.string(),
  text: z.string().default(''),
  timestamp: z.string(),
  username: z.string().optional(),
  from: z.object({ id: z.string(), username: z.string().optional() }).optional(),
});
const page = z.object({
  data: z.array(z.unknown()),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});
const withComments = z.object({
  data: z.array(z.object({ id: z.string(), comments: z.object({ data: z.array(z.unknown()) }).optional() })),
  paging: page.shape.paging,
});
const insights = z.object({
  data: z.array(
    z.object({ name: z.string(), values: z.array(z.object({ value: z.number() })).optional(), total_value: z.object({ value: z.number() }).optional() }),
  ),
});

const MEDIA_FIELDS = 'id,caption,media_type,media_url,permalink,timestamp,username,like_count,comments_count';

/** The container takes the image's public address (`image_url`), never bytes: `context.publicImages` serves it (null: `media_host_missing`). */
export function createInstagramConnector(credentials: InstagramCredentials, context: ChannelContext): ChannelConnector {
  const parsed = instagramCredentialsSchema.parse(credentials);
  return new InstagramConnector(
    new GraphApi({ accessToken: parsed.accessToken, appSecret: parsed.appSecret, apiBase: parsed.apiBase, version: GRAPH_VERSION }, context, 'Instagram'),
    parsed,
    context.publicImages,
    context.org,
    context.channelId,
  );
}

/**
 * An Instagram professional account through the Graph API. Publishing is a container (image_url,
 * caption, alt_text; several images: an item container each, then a CAROUSEL container naming
 * them) then media_publish, after checking the 24-hour content_publishing_limit.
 * Exactly once: no idempotency key; a publish that may follow an earlier attempt first looks for
 * the same caption among the account's media of the last 24 hours.
 */
class InstagramConnector implements ChannelConnector {
  readonly network = 'instagram' as const;
  readonly capabilities = instagramRules.capabilities;

  constructor(
    private readonly api: GraphApi,
    private readonly credentials: ParsedInstagramCredentials,
    private readonly imageHost: PublicImageHost | null,
    private readonly scope: OrgScope,
    /** Null while a new connection is being verified: no webhook events stored yet. */
    private readonly channelId: string | null,
  ) {}

  private get userId(): string {
    return this.credentials.igUserId;
  }

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.api.run(async () => {
      const found = account.parse(await this.api.call({ path: this.userId, query: { fields: 'id,username,name,profile_picture_url' } }));
      return {
        remoteId: found.id,
        handle: found.username,
        displayName: found.name ?? found.username,
        avatarUrl: found.profile_picture_url ?? null,
        profileUrl: `https://www.instagram.com/${found.username}`,
      };
    });
  }

  health(): Promise<AccountHealth> {
    return healthWithTokenEnd(instagramTokenExpiry.of(this.credentials), this.api.now(), () => this.verify());
  }

  async readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    const query: Record<string, string> = { limit: String(Math.min(request.limit ?? 25, 50)) };
    if (request.cursor) query.after = request.cursor;
    if (request.kind === 'user_posts') {
      return this.api.run(async () => {
        const answer = page.parse(await this.api.call({ path: `${this.userId}/media`, query: { ...query, fields: MEDIA_FIELDS } }));
        const items = answer.data.flatMap((raw) => {
          const parsed = media.safeParse(raw);
          return parsed.success ? [mediaItem(parsed.data)] : [];
        });
        return { items, olderCursor: answer.paging?.next ? (answer.paging.cursors?.after ?? null) : null };
      });
    }
    if (request.kind === 'mentions') {
      return this.api.run(async () => {
        const answer = withComments.parse(
          await this.api.call({ path: `${this.userId}/media`, query: { ...query, fields: 'id,comments.limit(50){id,text,timestamp,username,from}' } }),
        );
        const items: NormalizedItem[] = [];
        for (const entry of answer.data) {
          for (const raw of entry.comments?.data ?? []) {
            const parsed = comment.safeParse(raw);
            if (parsed.success && parsed.data.from?.id !== this.userId) items.push(commentItem(parsed.data, entry.id));
          }
        }
        // The newest page also carries what the webhook stored (mentions elsewhere, comments Graph has not listed yet).
        if (!request.cursor && this.channelId) {
          const seen = new Set(items.map((i) => i.remoteId));
          for (const item of await instagramWebhookItems(this.scope, this.api, this.channelId, this.userId)) if (!seen.has(item.remoteId)) items.push(item);
        }
        items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        return { items, olderCursor: answer.paging?.next ? (answer.paging.cursors?.after ?? null) : null };
      });
    }
    return failed({ kind: 'permanent', code: 'unsupported_stream', message: `An Instagram account has no "${request.kind}" stream` });
  }

  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    const text = request.text.trim();
    if (request.replyTo) {
      if (!text) return failed({ kind: 'permanent', code: 'empty_text', message: 'A reply needs text' });
      const mention = this.channelId ? await storedMention(this.scope, this.channelId, request.replyTo.remoteId) : undefined;
      if (mention) return this.api.run(() => replyToMention(this.api, mention, { igUserId: this.userId, text, attempt: request.attempt }));
      return this.api.run(async () => {
        if (request.attempt !== 1) {
          const earlier = await this.findEarlierReply(request.replyTo!.remoteId, text);
          if (earlier) return earlier;
        }
        const answer = created.parse(
          await this.api.call({ method: 'POST', path: `${encodeURIComponent(request.replyTo!.remoteId)}/replies`, form: { message: text } }),
        );
        return { remoteId: answer.id, url: null, alreadyExisted: false };
      });
    }
    if (!request.images?.length) return failed({ kind: 'permanent', code: 'image_required', message: 'An Instagram post needs an image' });
    const refused = refusedText(this.measureText(request.text, request.images.length));
    if (refused) return failed(refused);
    const images = request.images;
    const limits = instagramRules.capabilities.media;
    if (images.length > limits.maxImages)
      return failed({ kind: 'permanent', code: 'too_many_images', message: `An Instagram carousel holds at most ${limits.maxImages} images` });
    if (images.some((image) => !limits.mimeTypes.includes(image.mimeType)))
      return failed({ kind: 'permanent', code: 'media_unsupported', message: 'Instagram takes JPEG images only' });
    if (!this.imageHost) return failed(mediaHostMissing('Instagram'));
    const host = this.imageHost;
    if (request.attempt !== 1) {
      const earlier = await this.api.run(() => this.findEarlierPost(text));
      if (!earlier.ok) return earlier;
      if (earlier.value) return { ok: true, value: earlier.value };
    }
    // The 24-hour publishing limit is checked before a container is made: a post past it would fail at media_publish.
    const room = await this.publishingRoom();
    if (!room.ok) return room;
    if (room.value.used >= room.value.total)
      return failed({
        kind: 'rate_limited',
        message: `Instagram's limit of ${room.value.total} API posts per 24 hours is reached (${room.value.used} used)`,
        retryAfterMs: 60 * 60_000,
      });
    return this.api.run(async () => {
      const caption: Record<string, string> = text ? { caption: text } : {};
      let container: string;
      if (images.length === 1) {
        container = await this.makeContainer({ ...caption, ...(await imageFields(host, images[0]!)) });
      } else {
        // A carousel: one item container per image (each with its alt text), then the carousel container naming them in order.
        const children: string[] = [];
        for (const image of images) {
          const item = await this.makeContainer({ ...(await imageFields(host, image)), is_carousel_item: 'true' });
          await this.awaitFinished(item);
          children.push(item);
        }
        container = await this.makeContainer({ ...caption, media_type: 'CAROUSEL', children: children.join(',') });
      }
      if ((await this.awaitFinished(container)) === 'PUBLISHED') {
        const earlier = await this.findEarlierPost(text);
        if (earlier) return earlier;
        throw new ContainerNotReady(container, 'PUBLISHED');
      }
      const published = created.parse(await this.api.call({ method: 'POST', path: `${this.userId}/media_publish`, form: { creation_id: container } }));
      return { remoteId: published.id, url: null, alreadyExisted: false };
    });
  }

  like = async (_post: PostRef): Promise<ConnectorResult<never>> =>
    failed({ kind: 'permanent', code: 'unsupported', message: 'The Instagram API cannot like posts' });
  repost = this.like;
  unlike = this.like;
  unrepost = this.like;
  deletePost = async (_post: PostRef): Promise<ConnectorResult<never>> =>
    failed({ kind: 'permanent', code: 'unsupported', message: 'The Instagram API cannot delete posts' });

  postMetrics(target: PostRef): Promise<ConnectorResult<PostMetrics>> {
    return this.api.run(async () => {
      const id = encodeURIComponent(target.remoteId);
      const found = media.parse(await this.api.call({ path: id, query: { fields: 'id,timestamp,like_count,comments_count' } }));
      const answer = insights.parse(await this.api.call({ path: `${id}/insights`, query: { metric: 'views,shares' } }));
      const metric = (name: string) => {
        const m = answer.data.find((d) => d.name === name);
        return m?.total_value?.value ?? m?.values?.[0]?.value ?? null;
      };
      return { likes: found.like_count ?? 0, reposts: metric('shares') ?? 0, replies: found.comments_count ?? 0, quotes: 0, views: metric('views') };
    });
  }

  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.api.run(async () => {
      const counts = z
        .object({
          followers_count: z.number().int().nonnegative(),
          follows_count: z.number().int().nonnegative().optional(),
          media_count: z.number().int().nonnegative().optional(),
        })
        .parse(await this.api.call({ path: this.userId, query: { fields: 'followers_count,follows_count,media_count' } }));
      return { followers: counts.followers_count, following: counts.follows_count ?? null, posts: counts.media_count ?? null };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return instagramRules.measureText(text, { mediaCount });
  }

  /** The 24-hour publishing limit, shown in the composer before a post is scheduled (a carousel counts as one post). */
  quota(): Promise<ConnectorResult<SendingQuota>> {
    return this.publishingRoom().then((room) => (room.ok ? succeeded({ unit: 'posts', period: 'day', limit: room.value.total, used: room.value.used }) : room));
  }

  /** Posts published through the API in the moving 24 hours, and how many are allowed. */
  publishingRoom(): Promise<ConnectorResult<{ used: number; total: number }>> {
    return this.api.run(async () => {
      const limit = limitAnswer.parse(await this.api.call({ path: `${this.userId}/content_publishing_limit`, query: { fields: 'config,quota_usage' } }))
        .data[0];
      return { used: limit?.quota_usage ?? 0, total: limit?.config?.quota_total ?? INSTAGRAM_DAILY_PUBLISH_LIMIT };
    });
  }

  private async makeContainer(form: Record<string, string>): Promise<string> {
    return created.parse(await this.api.call({ method: 'POST', path: `${this.userId}/media`, form })).id;
  }

  /** Reads the container's status until Instagram has finished it (or it was already published); ERROR, EXPIRED or still processing after a few checks throws. */
  private async awaitFinished(container: string): Promise<'FINISHED' | 'PUBLISHED'> {
    for (let check = 0; ; check++) {
      const state = status.parse(await this.api.call({ path: container, query: { fields: 'status_code' } })).status_code;
      if (state === 'FINISHED' || state === 'PUBLISHED') return state;
      if (state === 'ERROR' || state === 'EXPIRED' || check + 1 >= STATUS_CHECKS) throw new ContainerNotReady(container, state);
    }
  }

  private async findEarlierPost(caption: string): Promise<PublishedPost | null> {
    const since = this.api.now().getTime() - INSTAGRAM_RETRY_LOOKBACK_MS;
    const answer = page.parse(await this.api.call({ path: `${this.userId}/media`, query: { fields: 'id,caption,timestamp,permalink', limit: '50' } }));
    for (const raw of answer.data) {
      const parsed = media.safeParse(raw);
      if (parsed.success && Date.parse(parsed.data.timestamp) >= since && (parsed.data.caption ?? '').trim() === caption)
        return { remoteId: parsed.data.id, url: parsed.data.permalink ?? null, alreadyExisted: true };
    }
    return null;
  }

  private async findEarlierReply(commentId: string, text: string): Promise<PublishedPost | null> {
    const answer = page.parse(await this.api.call({ path: `${encodeURIComponent(commentId)}/replies`, query: { fields: 'id,text,timestamp,username,from' } }));
    for (const raw of answer.data) {
      const parsed = comment.safeParse(raw);
      if (parsed.success && parsed.data.from?.id === this.userId && parsed.data.text.trim() === text)
        return { remoteId: parsed.data.id, url: null, alreadyExisted: true };
    }
    return null;
  }
}

/** What a container says about one image: the address Instagram fetches it from, and its alt text. */
async function imageFields(host: PublicImageHost, image: PublishImage): Promise<Record<string, string>> {
  return { image_url: await host.publicUrlFor(image), ...(image.alt ? { alt_text: image.alt } : {}) };
}

class ContainerNotReady extends Error {
  constructor(container: string, state: string) {
    super(`Instagram's media container ${container} is ${state}, not ready to publish`);
  }
}

function mediaItem(m: z.infer<typeof media>): NormalizedItem {
  const text = m.caption ?? '';
  return {
    network: 'instagram',
    remoteId: m.id,
    url: m.permalink ?? null,
    author: {
      remoteId: m.username ?? 'unknown',
      handle: m.username ?? 'unknown',
      displayName: m.username ?? 'Instagram',
      avatarUrl: null,
      profileUrl: m.username ? `https://www.instagram.com/${m.username}` : null,
    },
    text,
    html: null,
    links: [],
    media: m.media_url && m.media_type !== 'VIDEO' ? [{ url: m.media_url, alt: '' }] : [],
    replyToRemoteId: null,
    quoteOfRemoteId: null,
    createdAt: new Date(m.timestamp).toISOString(),
    language: null,
    metrics: { likes: m.like_count ?? 0, reposts: 0, replies: m.comments_count ?? 0, quotes: 0, views: null },
    tags: [...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((t) => t[1]!),
  };
}

function commentItem(c: z.infer<typeof comment>, mediaId: string): NormalizedItem {
  const name = c.from?.username ?? c.username ?? 'unknown';
  return {
    network: 'instagram',
    remoteId: c.id,
    url: null,
    author: {
      remoteId: c.from?.id ?? name,
      handle: name,
      displayName: name,
      avatarUrl: null,
      profileUrl: name === 'unknown' ? null : `https://www.instagram.com/${name}`,
    },
    text: c.text,
    html: null,
    links: [],
    media: [],
    replyToRemoteId: mediaId,
    quoteOfRemoteId: null,
    createdAt: new Date(c.timestamp).toISOString(),
    language: null,
    metrics: null,
  };
}
