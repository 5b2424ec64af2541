import { z } from 'zod';
import { linkedinRules } from '../../../core/networks/linkedin.js';
import {
  failed,
  refusedText,
  type AccountHealth,
  type AccountMetrics,
  type ChannelConnector,
  type ConnectorContext,
  type ConnectorResult,
  type NormalizedItem,
  type PostMetrics,
  type PostRef,
  type PublishedPost,
  type PublishRequest,
  type RemoteProfile,
  type StreamPage,
  type StreamRequest,
  type TextMeasure,
} from '../connector.js';
import { LinkedinApi } from './api.js';
import { healthWithTokenEnd } from '../token-expiry.js';
import { linkedinCredentialsSchema, type LinkedinCredentials } from './credentials.js';
import { LinkedinProblem } from './failures.js';

export { linkedinCredentialsSchema };

/** How far back a retry looks for a post an earlier attempt may have created. */
export const LINKEDIN_RETRY_LOOKBACK_MS = 24 * 60 * 60_000;
/** The comments stream reads the comments on this many of the page's latest posts. */
export const LINKEDIN_COMMENTED_POSTS = 10;

const organization = z.object({ id: z.number(), localizedName: z.string(), vanityName: z.string().optional() });
const postEntry = z.object({
  id: z.string(),
  author: z.string(),
  commentary: z.string().default(''),
  createdAt: z.number().optional(),
  publishedAt: z.number().optional(),
  lifecycleState: z.string().optional(),
});
type LinkedinPost = z.infer<typeof postEntry>;
const comment = z.object({
  id: z.string().optional(),
  commentUrn: z.string().optional(),
  actor: z.string(),
  object: z.string().optional(),
  parentComment: z.string().optional(),
  message: z.object({ text: z.string() }),
  created: z.object({ time: z.number() }),
});
type LinkedinComment = z.infer<typeof comment>;
const elements = z.object({
  elements: z.array(z.unknown()).default([]),
  paging: z.object({ start: z.number().optional(), count: z.number().optional(), total: z.number().optional() }).optional(),
});
const uploadStart = z.object({ value: z.object({ uploadUrl: z.string(), image: z.string() }) });
const shareStats = z.object({
  elements: z.array(
    z.object({
      totalShareStatistics: z.object({
        impressionCount: z.number().optional(),
        likeCount: z.number().optional(),
        commentCount: z.number().optional(),
        shareCount: z.number().optional(),
      }),
    }),
  ),
});
const networkSize = z.object({ firstDegreeSize: z.number().int().nonnegative() });

/** Characters LinkedIn's "little text" format reserves in `commentary`: each must be escaped with a backslash or the post is cut or refused. */
const LITTLE_TEXT_RESERVED = /[\\|{}@[\]()<>#*_~]/g;
export const escapeLittleText = (text: string): string => text.replace(LITTLE_TEXT_RESERVED, (c) => `\\${c}`);
/** What LinkedIn shows for an escaped commentary: the text as written. */
export const unescapeLittleText = (text: string): string => text.replace(/\\([\\|{}@[\]()<>#*_~])/g, '$1');

export function createLinkedinConnector(credentials: LinkedinCredentials, ctx: ConnectorContext): ChannelConnector {
  return new LinkedinConnector(new LinkedinApi(linkedinCredentialsSchema.parse(credentials), ctx));
}

/**
 * A LinkedIn organization page (Posts API, Images API, socialActions comments). LinkedIn takes
 * no idempotency key: a retry whose first attempt may have reached LinkedIn first looks for the
 * same commentary among the page's posts of the last 24 hours (a reply: among the comments on
 * the same post), as the X connector does.
 */
class LinkedinConnector implements ChannelConnector {
  readonly network = 'linkedin' as const;
  readonly capabilities = linkedinRules.capabilities;

  constructor(private readonly api: LinkedinApi) {}

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.api.run(async () => {
      const id = this.api.organizationUrn.split(':').at(-1)!;
      const org = organization.parse((await this.api.call({ path: `/rest/organizations/${id}` })).body);
      const slug = org.vanityName ?? String(org.id);
      return {
        remoteId: this.api.organizationUrn,
        handle: slug,
        displayName: org.localizedName,
        avatarUrl: null,
        profileUrl: `https://www.linkedin.com/company/${slug}`,
      };
    });
  }

  health(): Promise<AccountHealth> {
    return healthWithTokenEnd(this.api.tokenEnd, this.api.now(), () => this.verify());
  }

  readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    if (request.kind !== 'user_posts' && request.kind !== 'mentions')
      return Promise.resolve(failed({ kind: 'permanent', code: 'unsupported_stream', message: `A LinkedIn page has no "${request.kind}" stream` }));
    return this.api.run(async () => {
      const count = Math.min(Math.max(request.limit ?? 20, 1), 100);
      if (request.kind === 'user_posts') {
        const start = request.cursor && /^\d+$/.test(request.cursor) ? Number(request.cursor) : 0;
        const posts = await this.recentPosts(count, start);
        return { items: posts.map((p) => this.postItem(p)), olderCursor: posts.length === count ? String(start + count) : null };
      }
      const comments: LinkedinComment[] = [];
      for (const parent of await this.recentPosts(LINKEDIN_COMMENTED_POSTS, 0)) comments.push(...(await this.commentsOn(parent.id)));
      comments.sort((a, b) => b.created.time - a.created.time);
      return {
        items: comments
          .filter((c) => c.actor !== this.api.organizationUrn)
          .slice(0, count)
          .map(commentItem),
        olderCursor: null,
      };
    });
  }

  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    const refused = refusedText(this.measureText(request.text, request.images?.length));
    if (refused) return failed(refused);
    const images = request.images ?? [];
    if (images.length > this.capabilities.media.maxImages)
      return failed({ kind: 'permanent', code: 'too_many_images', message: `at most ${this.capabilities.media.maxImages} images per LinkedIn post` });
    if (request.quote) return failed({ kind: 'permanent', code: 'unsupported', message: 'Chorus does not quote on LinkedIn' });
    if (request.replyTo && images.length)
      return failed({ kind: 'permanent', code: 'media_unsupported', message: 'Chorus sends LinkedIn comments as text only' });
    return this.api.run(async () => {
      if (request.attempt !== 1) {
        const earlier = await this.findEarlierCopy(request);
        if (earlier) return earlier;
      }
      if (request.replyTo) return this.comment(request.replyTo.remoteId, request.text);
      const body: Record<string, unknown> = {
        author: this.api.organizationUrn,
        commentary: escapeLittleText(request.text),
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      };
      const uploaded: { id: string; altText: string | undefined }[] = [];
      for (const image of images) uploaded.push({ id: await this.uploadImage(image.data), altText: image.alt || undefined });
      // One image is `media`; 2 to 20 are `multiImage`, in the post's order.
      if (uploaded.length === 1) body.content = { media: uploaded[0] };
      else if (uploaded.length > 1) body.content = { multiImage: { images: uploaded } };
      else {
        const link = /https?:\/\/[^\s<>"]+/.exec(request.text)?.[0];
        // LinkedIn draws no card for an API post by itself: the article content is the card (its title required).
        if (link && URL.canParse(link)) body.content = { article: { source: link, title: new URL(link).hostname } };
      }
      const answer = await this.api.call({ method: 'POST', path: '/rest/posts', json: body });
      const id = answer.headers.get('x-restli-id') ?? answer.headers.get('x-linkedin-id');
      if (!id) throw new Error('LinkedIn created the post but named no id (x-restli-id)');
      return { remoteId: id, cid: null, url: postUrl(id), alreadyExisted: false };
    });
  }

  like = unsupported;
  repost = unsupported;
  unlike = unsupported;
  unrepost = unsupported;
  deletePost = unsupported;

  /** Impressions, likes, comments and reshares of one of the page's posts (organizationalEntityShareStatistics). */
  postMetrics(ref: PostRef): Promise<ConnectorResult<PostMetrics>> {
    return this.api.run(async () => {
      const param = ref.remoteId.startsWith('urn:li:ugcPost:') ? 'ugcPosts' : 'shares';
      const rawQuery = `q=organizationalEntity&organizationalEntity=${encodeURIComponent(this.api.organizationUrn)}&${param}=List(${encodeURIComponent(ref.remoteId)})`;
      const stats = shareStats.parse((await this.api.call({ path: '/rest/organizationalEntityShareStatistics', rawQuery })).body).elements[0]
        ?.totalShareStatistics;
      if (!stats) throw new LinkedinProblem('post_not_found', `LinkedIn has no statistics for ${ref.remoteId}`);
      return { views: stats.impressionCount ?? null, likes: stats.likeCount ?? 0, replies: stats.commentCount ?? 0, reposts: stats.shareCount ?? 0, quotes: 0 };
    });
  }

  /** The page's followers (networkSizes, COMPANY_FOLLOWED_BY_MEMBER). */
  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.api.run(async () => {
      const answer = networkSize.parse(
        (await this.api.call({ path: `/rest/networkSizes/${encodeURIComponent(this.api.organizationUrn)}`, rawQuery: 'edgeType=COMPANY_FOLLOWED_BY_MEMBER' }))
          .body,
      );
      return { followers: answer.firstDegreeSize, following: null, posts: null };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return linkedinRules.measureText(text, { mediaCount });
  }

  private async recentPosts(count: number, start: number): Promise<LinkedinPost[]> {
    const rawQuery = `q=author&author=${encodeURIComponent(this.api.organizationUrn)}&count=${count}&start=${start}&sortBy=LAST_MODIFIED`;
    return parseAll(elements.parse((await this.api.call({ path: '/rest/posts', rawQuery })).body).elements, postEntry);
  }

  private async commentsOn(target: string): Promise<LinkedinComment[]> {
    return parseAll(elements.parse((await this.api.call({ path: `/rest/socialActions/${encodeURIComponent(target)}/comments` })).body).elements, comment);
  }

  /** A comment on a post, or (replying to a comment) a nested comment under it. */
  private async comment(target: string, text: string): Promise<PublishedPost> {
    const parentComment = target.startsWith('urn:li:comment:') ? target : undefined;
    // urn:li:comment:(urn:li:activity:123,456): the post is the first member.
    const object = parentComment ? (/^urn:li:comment:\((urn:li:[A-Za-z]+:[^,]+),/.exec(parentComment)?.[1] ?? null) : target;
    if (!object) throw new LinkedinProblem('rejected', `not a LinkedIn comment address: ${target.slice(0, 100)}`);
    const answer = await this.api.call({
      method: 'POST',
      path: `/rest/socialActions/${encodeURIComponent(target)}/comments`,
      json: { actor: this.api.organizationUrn, object, parentComment, message: { text } },
    });
    const created = comment.partial().safeParse(answer.body);
    const id = (created.success ? (created.data.commentUrn ?? created.data.id) : undefined) ?? answer.headers.get('x-restli-id');
    if (!id) throw new Error('LinkedIn created the comment but named no id');
    return { remoteId: id, cid: null, url: null, alreadyExisted: false };
  }

  private async uploadImage(data: Uint8Array): Promise<string> {
    const started = uploadStart.parse(
      (
        await this.api.call({
          method: 'POST',
          path: '/rest/images',
          rawQuery: 'action=initializeUpload',
          json: { initializeUploadRequest: { owner: this.api.organizationUrn } },
        })
      ).body,
    ).value;
    await this.api.call({ method: 'PUT', path: started.uploadUrl, bytes: data });
    return started.image;
  }

  private async findEarlierCopy(request: PublishRequest): Promise<PublishedPost | null> {
    const wanted = request.text.trim();
    const since = this.api.now().getTime() - LINKEDIN_RETRY_LOOKBACK_MS;
    if (request.replyTo) {
      const target = request.replyTo.remoteId;
      for (const c of await this.commentsOn(target)) {
        if (c.actor === this.api.organizationUrn && c.created.time >= since && c.message.text.trim() === wanted)
          return { remoteId: c.commentUrn ?? c.id ?? '', cid: null, url: null, alreadyExisted: true };
      }
      return null;
    }
    for (const p of await this.recentPosts(50, 0)) {
      if ((p.createdAt ?? p.publishedAt ?? 0) < since) continue;
      if (unescapeLittleText(p.commentary).trim() === wanted) return { remoteId: p.id, cid: null, url: postUrl(p.id), alreadyExisted: true };
    }
    return null;
  }

  private postItem(entry: LinkedinPost): NormalizedItem {
    const text = unescapeLittleText(entry.commentary);
    return {
      network: 'linkedin',
      remoteId: entry.id,
      url: postUrl(entry.id),
      author: { remoteId: entry.author, handle: entry.author, displayName: entry.author, avatarUrl: null, profileUrl: null },
      text,
      html: null,
      links: [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
      media: [],
      replyToRemoteId: null,
      quoteOfRemoteId: null,
      createdAt: new Date(entry.publishedAt ?? entry.createdAt ?? 0).toISOString(),
      language: null,
      metrics: null,
    };
  }
}

function commentItem(entry: LinkedinComment): NormalizedItem {
  return {
    network: 'linkedin',
    remoteId: entry.commentUrn ?? entry.id ?? `${entry.object}:${entry.created.time}`,
    url: null,
    // Comments name their author by URN only; a name needs the member's consent (r_liteprofile of that member), which a page never has.
    author: {
      remoteId: entry.actor,
      handle: entry.actor,
      displayName: entry.actor.startsWith('urn:li:organization:') ? 'LinkedIn page' : 'LinkedIn member',
      avatarUrl: null,
      profileUrl: null,
    },
    text: entry.message.text,
    html: null,
    links: [...entry.message.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
    media: [],
    replyToRemoteId: entry.parentComment ?? entry.object ?? null,
    quoteOfRemoteId: null,
    createdAt: new Date(entry.created.time).toISOString(),
    language: null,
    metrics: null,
  };
}

function parseAll<T>(entries: unknown[], schema: z.ZodType<T>): T[] {
  return entries.flatMap((entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

const postUrl = (urn: string): string => `https://www.linkedin.com/feed/update/${urn}/`;

async function unsupported(_post?: PostRef): Promise<ConnectorResult<never>> {
  return failed({ kind: 'permanent', code: 'unsupported', message: 'Chorus does not do this on LinkedIn' });
}
