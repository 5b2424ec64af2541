import { z } from 'zod';
import type {
  AccountHealth,
  AccountMetrics,
  Capabilities,
  ChannelConnector,
  ConnectorContext,
  ConnectorResult,
  PostMetrics,
  PostRef,
  Reaction,
  PublishRequest,
  PublishedPost,
  RemoteProfile,
  StreamPage,
  StreamRequest,
  TextMeasure,
} from '../connector.js';
import { failed, refusedText } from '../connector.js';
import { xRules } from '../../../core/networks/x.js';
import { XApi } from './api.js';
import { healthWithTokenEnd } from '../token-expiry.js';
import { xCredentialsSchema, type XCredentials } from './credentials.js';
import { RequestProblem, XApiError } from './failures.js';
import { authoredText, itemsFromPage, metricsOf, publicMetrics, toRemoteProfile, tweet, TWEET_QUERY, userLookup } from './items.js';

/** How far back a retry looks for a post an earlier attempt may have created. */
export const X_RETRY_LOOKBACK_MS = 24 * 60 * 60_000;

export const xCapabilities: Capabilities = xRules.capabilities;
const MAX_IMAGES = xCapabilities.media.maxImages;

export { xCredentialsSchema };

export function createXConnector(credentials: XCredentials, ctx: ConnectorContext): ChannelConnector {
  return new XConnector(new XApi(xCredentialsSchema.parse(credentials), ctx), ctx);
}

const created = z.object({ data: z.object({ id: z.string(), text: z.string() }) });
const uploaded = z.object({ data: z.object({ id: z.string() }) });
const userId = z.object({ data: z.object({ id: z.string() }) });

class XConnector implements ChannelConnector {
  readonly network = 'x' as const;
  readonly capabilities = xCapabilities;

  constructor(
    private readonly api: XApi,
    private readonly ctx: ConnectorContext,
  ) {}

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.api.run(async () => {
      const me = userLookup.parse(await this.api.call({ path: '/2/users/me', query: { 'user.fields': 'profile_image_url' } })).data;
      if (me.id !== this.api.userId) throw new RequestProblem('wrong_account', `the token belongs to @${me.username}, not @${this.api.username}`);
      return toRemoteProfile(me);
    });
  }

  health(): Promise<AccountHealth> {
    return healthWithTokenEnd(this.api.tokenEnd, this.ctx.now(), () => this.verify());
  }

  readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    return this.api.run(async () => {
      const maxResults = String(Math.min(Math.max(request.limit ?? 30, 10), 100));
      const page = { ...TWEET_QUERY, max_results: maxResults, pagination_token: request.cursor ?? undefined };
      const me = this.api.userId;
      let raw: unknown;
      switch (request.kind) {
        case 'home':
          raw = await this.api.call({ path: `/2/users/${me}/timelines/reverse_chronological`, query: page });
          break;
        case 'mentions':
        case 'notifications':
          // X's API has no notifications feed; mentions are the part of it that are posts.
          raw = await this.api.call({ path: `/2/users/${me}/mentions`, query: page });
          break;
        case 'user_posts':
          raw = await this.api.call({ path: `/2/users/${await this.userIdOf(request.target)}/tweets`, query: page });
          break;
        case 'list':
          raw = await this.api.call({ path: `/2/lists/${encodeURIComponent(required(request))}/tweets`, query: page });
          break;
        case 'search':
          // Search pages with `next_token`, not `pagination_token`.
          raw = await this.api.call({
            path: '/2/tweets/search/recent',
            query: { ...page, pagination_token: undefined, next_token: request.cursor ?? undefined, query: required(request) },
          });
          break;
        default:
          throw new RequestProblem('unsupported_stream', `X has no ${request.kind} stream`);
      }
      const { items, nextToken } = itemsFromPage(raw);
      return { items, olderCursor: nextToken };
    });
  }

  /**
   * X has no idempotency key. Before any attempt that may follow an earlier one, and whenever X
   * calls the text a duplicate, look for the exact text among the account's posts of the last
   * 24 hours. The limits are in docs/channels.md.
   */
  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    const refused = refusedText(this.measureText(request.text, request.images?.length));
    if (refused) return failed(refused);
    if ((request.images?.length ?? 0) > MAX_IMAGES) return failed({ kind: 'permanent', message: `at most ${MAX_IMAGES} images`, code: 'too_many_images' });
    return this.api.run(async () => {
      if (request.attempt !== 1) {
        const earlier = await this.findEarlierCopy(request);
        if (earlier) return earlier;
      }
      const mediaIds = [];
      for (const image of request.images ?? []) mediaIds.push(await this.uploadImage(image));
      const body: Record<string, unknown> = { text: request.text };
      if (request.replyTo) body.reply = { in_reply_to_tweet_id: request.replyTo.remoteId };
      if (request.quote) body.quote_tweet_id = request.quote.remoteId;
      if (mediaIds.length) body.media = { media_ids: mediaIds };
      try {
        const post = created.parse(await this.api.call({ method: 'POST', path: '/2/tweets', json: body })).data;
        return { remoteId: post.id, cid: null, url: this.postUrl(post.id), alreadyExisted: false };
      } catch (error) {
        if (!(error instanceof XApiError && error.isDuplicateContent)) throw error;
        const earlier = await this.findEarlierCopy(request);
        if (earlier) return earlier;
        throw error;
      }
    });
  }

  like(post: PostRef): Promise<ConnectorResult<Reaction>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'POST', path: `/2/users/${this.api.userId}/likes`, json: { tweet_id: post.remoteId } });
      return { recordId: null };
    });
  }

  repost(post: PostRef): Promise<ConnectorResult<Reaction>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'POST', path: `/2/users/${this.api.userId}/retweets`, json: { tweet_id: post.remoteId } });
      return { recordId: null };
    });
  }

  unlike(post: PostRef): Promise<ConnectorResult<void>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'DELETE', path: `/2/users/${this.api.userId}/likes/${encodeURIComponent(post.remoteId)}` });
    });
  }

  unrepost(post: PostRef): Promise<ConnectorResult<void>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'DELETE', path: `/2/users/${this.api.userId}/retweets/${encodeURIComponent(post.remoteId)}` });
    });
  }

  deletePost(post: PostRef): Promise<ConnectorResult<void>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'DELETE', path: `/2/tweets/${encodeURIComponent(post.remoteId)}` });
    });
  }

  postMetrics(post: PostRef): Promise<ConnectorResult<PostMetrics>> {
    return this.api.run(async () => {
      const raw = await this.api.call({ path: `/2/tweets/${encodeURIComponent(post.remoteId)}`, query: { 'tweet.fields': 'public_metrics' } });
      const found = z.object({ data: z.object({ public_metrics: publicMetrics }).optional() }).parse(raw).data;
      if (!found) throw new RequestProblem('post_not_found', `post not found: ${post.remoteId}`);
      return metricsOf(found.public_metrics);
    });
  }

  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.api.run(async () => {
      const me = userLookup.parse(await this.api.call({ path: '/2/users/me', query: { 'user.fields': 'public_metrics' } })).data;
      if (!me.public_metrics) throw new RequestProblem('metrics_missing', 'X returned no public metrics');
      return { followers: me.public_metrics.followers_count, following: me.public_metrics.following_count, posts: me.public_metrics.tweet_count };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return xRules.measureText(text, { mediaCount });
  }

  private async findEarlierCopy(request: PublishRequest): Promise<PublishedPost | null> {
    const since = new Date(this.ctx.now().getTime() - X_RETRY_LOOKBACK_MS).toISOString();
    const raw = await this.api.call({ path: `/2/users/${this.api.userId}/tweets`, query: { ...TWEET_QUERY, max_results: '100', start_time: since } });
    const page = z.object({ data: z.array(z.unknown()).default([]) }).parse(raw);
    const wanted = request.text.trim();
    for (const entry of page.data) {
      const parsed = tweet.safeParse(entry);
      if (!parsed.success) continue;
      const replyTo = parsed.data.referenced_tweets?.find((ref) => ref.type === 'replied_to')?.id;
      if (request.replyTo && replyTo !== request.replyTo.remoteId) continue;
      // A reply's text may start with the @names X adds in front.
      const text = authoredText(parsed.data);
      if (text === wanted || (request.replyTo && text.endsWith(` ${wanted}`))) {
        return { remoteId: parsed.data.id, cid: null, url: this.postUrl(parsed.data.id), alreadyExisted: true };
      }
    }
    return null;
  }

  private async uploadImage(image: NonNullable<PublishRequest['images']>[number]): Promise<string> {
    const media = uploaded.parse(
      await this.api.call({
        method: 'POST',
        path: '/2/media/upload',
        json: { media: Buffer.from(image.data).toString('base64'), media_category: 'tweet_image', media_type: image.mimeType },
      }),
    ).data;
    if (image.alt) await this.api.call({ method: 'POST', path: '/2/media/metadata', json: { id: media.id, metadata: { alt_text: { text: image.alt } } } });
    return media.id;
  }

  private async userIdOf(target: string | undefined): Promise<string> {
    if (!target) return this.api.userId;
    if (/^\d+$/.test(target)) return target;
    const username = target.replace(/^@/, '');
    return userId.parse(await this.api.call({ path: `/2/users/by/username/${encodeURIComponent(username)}` })).data.id;
  }

  private postUrl(id: string): string {
    return `https://x.com/${this.api.username}/status/${id}`;
  }
}

function required(request: StreamRequest): string {
  if (!request.target) throw new RequestProblem('stream_target_missing', `the ${request.kind} stream needs a target`);
  return request.target;
}
