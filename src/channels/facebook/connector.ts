import { z } from 'zod';
import { facebookRules } from '../../../core/networks/facebook.js';
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
  type Reaction,
  type PublishImage,
  type PublishRequest,
  type RemoteProfile,
  type StreamPage,
  type StreamRequest,
  type TextMeasure,
} from '../connector.js';
import type { OrgScope } from '../../teams/org-scope.js';
import type { ChannelContext } from '../channel-context.js';
import { BadChatCursor } from '../chat-threads.js';
import { GraphApi } from './api.js';
import { healthWithTokenEnd } from '../token-expiry.js';
import { facebookCredentialsSchema, facebookTokenExpiry, GRAPH_VERSION, type FacebookCredentials, type ParsedFacebookCredentials } from './credentials.js';
import {
  lastMessageFrom,
  listMessengerMessages,
  messengerItem,
  messengerMessage,
  messengerProfiles,
  messengerRefusal,
  sendMessengerReply,
} from './messenger.js';
import type { MetaWebhookEventsTable } from './tables.js';

export { facebookCredentialsSchema };

/** How far back a retry looks for a post an earlier attempt may have created. */
export const FACEBOOK_RETRY_LOOKBACK_MS = 24 * 60 * 60_000;

const page = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string().optional(),
  link: z.string().optional(),
  picture: z.object({ data: z.object({ url: z.string() }) }).optional(),
});
const from = z.object({ id: z.string(), name: z.string().optional() });
const summary = z.object({ summary: z.object({ total_count: z.number().int().nonnegative() }) });
const post = z.object({
  id: z.string(),
  message: z.string().optional(),
  created_time: z.string(),
  permalink_url: z.string().optional(),
  from: from.optional(),
  attachments: z
    .object({
      data: z.array(
        z.object({
          media_type: z.string().optional(),
          url: z.string().optional(),
          description: z.string().optional(),
          media: z.object({ image: z.object({ src: z.string() }).optional() }).optional(),
        }),
      ),
    })
    .optional(),
  shares: z.object({ count: z.number().int().nonnegative() }).optional(),
  reactions: summary.optional(),
  comments: summary.optional(),
});
const comment = z.object({
  id: z.string(),
  message: z.string().default(''),
  created_time: z.string(),
  permalink_url: z.string().optional(),
  from: from.optional(),
  parent: z.object({ id: z.string() }).optional(),
});
const paging = z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional();
const postsPage = z.object({ data: z.array(z.unknown()), paging });
const feedWithComments = z.object({ data: z.array(z.object({ id: z.string(), comments: z.object({ data: z.array(z.unknown()) }).optional() })), paging });
const created = z.object({ id: z.string(), post_id: z.string().optional() });
const insights = z.object({
  data: z.array(z.object({ name: z.string(), values: z.array(z.object({ value: z.union([z.number(), z.record(z.string(), z.number())]) })) })),
});

const POST_FIELDS =
  'id,message,created_time,permalink_url,from{id,name},attachments{media_type,url,description,media},shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)';
const COMMENT_FIELDS = 'id,message,created_time,permalink_url,from{id,name},parent{id}';

export function createFacebookConnector(credentials: FacebookCredentials, context: ChannelContext): ChannelConnector {
  const parsed = facebookCredentialsSchema.parse(credentials);
  return new FacebookConnector(
    new GraphApi({ accessToken: parsed.pageAccessToken, appSecret: parsed.appSecret, apiBase: parsed.apiBase, version: GRAPH_VERSION }, context, 'Facebook'),
    parsed,
    context.org,
    context.channelId,
  );
}

/**
 * A Facebook Page through the Graph API. Streams: the Page's own posts (`user_posts`), the
 * comments people leave on them (`mentions`) and what people write to the Page on Messenger
 * (`messages`, from the webhook's table); the inbox turns the last two into conversations.
 * Exactly once: Meta takes no idempotency key, so a publish that may follow an earlier attempt
 * first looks for the same text among the Page's posts of the last 24 hours (or the comments of
 * the post replied to, or the Messenger conversation answered); the gap is in docs/channels.md.
 */
class FacebookConnector implements ChannelConnector {
  readonly network = 'facebook' as const;
  readonly capabilities = facebookRules.capabilities;

  constructor(
    private readonly api: GraphApi,
    private readonly credentials: ParsedFacebookCredentials,
    private readonly scope: OrgScope,
    /** Null while a new connection is being verified: no webhook comments stored yet. */
    private readonly channelId: string | null,
  ) {}

  private get pageId(): string {
    return this.credentials.pageId;
  }

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.api.run(async () => {
      const found = page.parse(await this.api.call({ path: this.pageId, query: { fields: 'id,name,username,link,picture{url}' } }));
      if (found.id !== this.pageId) throw new Error(`the token speaks for ${found.id}, not Page ${this.pageId}`);
      return {
        remoteId: found.id,
        handle: found.username ?? found.id,
        displayName: found.name,
        avatarUrl: found.picture?.data.url ?? null,
        profileUrl: found.link ?? `https://www.facebook.com/${found.id}`,
      };
    });
  }

  health(): Promise<AccountHealth> {
    return healthWithTokenEnd(facebookTokenExpiry.of(this.credentials), this.api.now(), () => this.verify());
  }

  async readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    const limit = String(Math.min(request.limit ?? 25, 100));
    const query: Record<string, string> = { limit };
    if (request.cursor) query.after = request.cursor;
    if (request.kind === 'user_posts') {
      return this.api.run(async () => {
        const answer = postsPage.parse(await this.api.call({ path: `${this.pageId}/posts`, query: { ...query, fields: POST_FIELDS } }));
        const items = answer.data.flatMap((raw) => {
          const parsed = post.safeParse(raw);
          return parsed.success ? [this.postItem(parsed.data)] : [];
        });
        return { items, olderCursor: answer.paging?.next ? (answer.paging.cursors?.after ?? null) : null };
      });
    }
    if (request.kind === 'mentions') {
      // Comments on the Page's recent posts, newest first; the Page's own replies are not "mentions".
      return this.api.run(async () => {
        const fields = `id,comments.order(reverse_chronological).limit(50).filter(stream){${COMMENT_FIELDS}}`;
        const answer = feedWithComments.parse(
          await this.api.call({ path: `${this.pageId}/feed`, query: { ...query, limit: String(Math.min(Number(limit), 25)), fields } }),
        );
        const items: NormalizedItem[] = [];
        for (const entry of answer.data) {
          for (const raw of entry.comments?.data ?? []) {
            const parsed = comment.safeParse(raw);
            if (parsed.success && parsed.data.from?.id !== this.pageId) items.push(this.commentItem(parsed.data, entry.id));
          }
        }
        // The newest page also carries what the webhook stored, in case Graph's read lags behind.
        if (!request.cursor) {
          const seen = new Set(items.map((i) => i.remoteId));
          for (const row of await this.webhookComments()) if (!seen.has(row.object_id)) items.push(webhookItem(row));
        }
        items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        return { items, olderCursor: answer.paging?.next ? (answer.paging.cursors?.after ?? null) : null };
      });
    }
    if (request.kind === 'messages') return this.readMessages(request);
    return failed({ kind: 'permanent', code: 'unsupported_stream', message: `A Facebook Page has no "${request.kind}" stream` });
  }

  private async readMessages(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    if (!this.channelId) return succeeded({ items: [], olderCursor: null });
    const channelId = this.channelId;
    try {
      const page = await listMessengerMessages(this.scope, channelId, { before: request.cursor, limit: Math.min(request.limit ?? 50, 200) });
      const people = await messengerProfiles(
        this.api,
        channelId,
        page.messages.flatMap(({ row }) => (row.from_id ? [row.from_id] : [])),
      );
      return succeeded({
        items: page.messages.map(({ row, previousMid }) => messengerItem(row, previousMid, people.get(row.from_id ?? ''))),
        olderCursor: page.olderCursor,
      });
    } catch (error) {
      if (error instanceof BadChatCursor) return failed({ kind: 'permanent', code: 'bad_cursor', message: error.message });
      return failed({ kind: 'transient', message: `Messenger messages could not be read: ${(error as Error).message}` });
    }
  }

  /** A reply to a stored Messenger message goes to its sender through the Send API, inside Meta's 24-hour window. */
  private async replyOnMessenger(mid: string, text: string, attempt: number | undefined): Promise<ConnectorResult<PublishedPost> | null> {
    if (!this.channelId) return null;
    const message = await messengerMessage(this.scope, this.channelId, mid);
    if (!message?.from_id) return null;
    const lastWroteAt = (await lastMessageFrom(this.scope, this.channelId, message.from_id)) ?? message.occurred_at;
    const refused = messengerRefusal(text, lastWroteAt, this.api.now());
    if (refused) return failed(refused);
    return this.api.run(() => sendMessengerReply(this.api, { pageId: this.pageId, psid: message.from_id!, text, lastWroteAt, attempt }));
  }

  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    const refused = refusedText(this.measureText(request.text, request.images?.length));
    if (refused) return failed(refused);
    const images = request.images ?? [];
    const limits = facebookRules.capabilities.media;
    if (images.length > limits.maxImages)
      return failed({ kind: 'permanent', code: 'too_many_images', message: `Chorus posts at most ${limits.maxImages} photos per Facebook post` });
    if (request.replyTo && images.length)
      return failed({ kind: 'permanent', code: 'media_unsupported', message: 'A Facebook comment reply from Chorus is text only' });
    if (request.quote) return failed({ kind: 'permanent', code: 'unsupported', message: 'Facebook has no quote posts' });
    const text = request.text.trim();
    if (request.replyTo) {
      const sent = await this.replyOnMessenger(request.replyTo.remoteId, text, request.attempt);
      if (sent) return sent;
    }
    return this.api.run(async () => {
      if (request.attempt !== 1) {
        const earlier = await this.findEarlierCopy(text, request.replyTo?.remoteId ?? null);
        if (earlier) return earlier;
      }
      if (request.replyTo) {
        const answer = created.parse(await this.api.call({ method: 'POST', path: `${request.replyTo.remoteId}/comments`, form: { message: text } }));
        return { remoteId: answer.id, url: null, alreadyExisted: false };
      }
      if (images.length > 1) {
        // Several photos: each uploaded unpublished (nobody sees it), then one feed post attaching them in order.
        const form: Record<string, string> = text ? { message: text } : {};
        for (const [index, image] of images.entries()) {
          const photo = created.parse(
            await this.api.call({ method: 'POST', path: `${this.pageId}/photos`, multipart: photoForm(image, { published: 'false' }) }),
          );
          form[`attached_media[${index}]`] = JSON.stringify({ media_fbid: photo.id });
        }
        const answer = created.parse(await this.api.call({ method: 'POST', path: `${this.pageId}/feed`, form }));
        return { remoteId: answer.id, url: postUrl(answer.id), alreadyExisted: false };
      }
      const image = images[0];
      if (image) {
        const answer = created.parse(
          await this.api.call({ method: 'POST', path: `${this.pageId}/photos`, multipart: photoForm(image, text ? { message: text } : {}) }),
        );
        const id = answer.post_id ?? answer.id;
        return { remoteId: id, url: postUrl(id), alreadyExisted: false };
      }
      const link = text.match(/https?:\/\/[^\s<>"]+/)?.[0];
      const answer = created.parse(
        await this.api.call({ method: 'POST', path: `${this.pageId}/feed`, form: link ? { message: text, link } : { message: text } }),
      );
      return { remoteId: answer.id, url: postUrl(answer.id), alreadyExisted: false };
    });
  }

  /** The Page's like has no id of its own: the liked post or comment keys it. */
  like(target: PostRef): Promise<ConnectorResult<Reaction>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'POST', path: `${encodeURIComponent(target.remoteId)}/likes` });
      return { recordId: null };
    });
  }

  unlike(target: PostRef): Promise<ConnectorResult<void>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'DELETE', path: `${encodeURIComponent(target.remoteId)}/likes` });
    });
  }

  async repost(): Promise<ConnectorResult<never>> {
    return failed({ kind: 'permanent', code: 'unsupported', message: 'A Page cannot share posts through the Graph API' });
  }

  unrepost = this.repost;

  deletePost(target: PostRef): Promise<ConnectorResult<void>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'DELETE', path: encodeURIComponent(target.remoteId) });
    });
  }

  /** Reactions, comments and shares from the post; views from its post_impressions insight. */
  postMetrics(target: PostRef): Promise<ConnectorResult<PostMetrics>> {
    return this.api.run(async () => {
      const id = encodeURIComponent(target.remoteId);
      const found = post.parse(
        await this.api.call({
          path: id,
          query: { fields: 'id,created_time,shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)' },
        }),
      );
      const reach = insights.parse(await this.api.call({ path: `${id}/insights`, query: { metric: 'post_impressions' } }));
      const views = reach.data.find((m) => m.name === 'post_impressions')?.values[0]?.value;
      return {
        likes: found.reactions?.summary.total_count ?? 0,
        reposts: found.shares?.count ?? 0,
        replies: found.comments?.summary.total_count ?? 0,
        quotes: 0,
        views: typeof views === 'number' ? views : null,
      };
    });
  }

  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.api.run(async () => {
      const counts = z
        .object({ followers_count: z.number().int().nonnegative().optional(), fan_count: z.number().int().nonnegative().optional() })
        .parse(await this.api.call({ path: this.pageId, query: { fields: 'followers_count,fan_count' } }));
      return { followers: counts.followers_count ?? counts.fan_count ?? 0, following: null, posts: null };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return facebookRules.measureText(text, { mediaCount });
  }

  private async webhookComments(): Promise<MetaWebhookEventsTable[]> {
    if (!this.channelId) return [];
    return this.scope
      .selectFrom('meta_webhook_events')
      .selectAll()
      .where('channel_id', '=', this.channelId)
      .where('field', 'in', ['feed', 'mention'])
      .orderBy('occurred_at', 'desc')
      .limit(50)
      .execute();
  }

  private async findEarlierCopy(text: string, parentId: string | null): Promise<PublishedPost | null> {
    if (parentId) {
      const answer = postsPage.parse(
        await this.api.call({
          path: `${parentId}/comments`,
          query: { fields: COMMENT_FIELDS, order: 'reverse_chronological', filter: 'stream', limit: '100' },
        }),
      );
      for (const raw of answer.data) {
        const parsed = comment.safeParse(raw);
        if (parsed.success && parsed.data.from?.id === this.pageId && parsed.data.message.trim() === text)
          return { remoteId: parsed.data.id, url: null, alreadyExisted: true };
      }
      return null;
    }
    const since = String(Math.floor((this.api.now().getTime() - FACEBOOK_RETRY_LOOKBACK_MS) / 1000));
    const answer = postsPage.parse(await this.api.call({ path: `${this.pageId}/posts`, query: { fields: 'id,message,created_time', since, limit: '100' } }));
    for (const raw of answer.data) {
      const parsed = post.safeParse(raw);
      if (parsed.success && (parsed.data.message ?? '').trim() === text)
        return { remoteId: parsed.data.id, url: postUrl(parsed.data.id), alreadyExisted: true };
    }
    return null;
  }

  private postItem(p: z.infer<typeof post>): NormalizedItem {
    const text = p.message ?? '';
    const attachments = p.attachments?.data ?? [];
    return {
      network: 'facebook',
      remoteId: p.id,
      url: p.permalink_url ?? postUrl(p.id),
      author: this.author(p.from),
      text,
      html: null,
      links: [
        ...new Set([
          ...[...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
          ...attachments.filter((a) => a.media_type === 'link' && a.url).map((a) => a.url!),
        ]),
      ],
      media: attachments.flatMap((a) => (a.media?.image && a.media_type !== 'link' ? [{ url: a.media.image.src, alt: a.description ?? '' }] : [])),
      replyToRemoteId: null,
      quoteOfRemoteId: null,
      createdAt: new Date(p.created_time).toISOString(),
      language: null,
      metrics: {
        likes: p.reactions?.summary.total_count ?? 0,
        reposts: p.shares?.count ?? 0,
        replies: p.comments?.summary.total_count ?? 0,
        quotes: 0,
        views: null,
      },
    };
  }

  private commentItem(c: z.infer<typeof comment>, postId: string): NormalizedItem {
    return {
      network: 'facebook',
      remoteId: c.id,
      url: c.permalink_url ?? null,
      author: this.author(c.from),
      text: c.message,
      html: null,
      links: [...c.message.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
      media: [],
      replyToRemoteId: c.parent?.id ?? postId,
      quoteOfRemoteId: null,
      createdAt: new Date(c.created_time).toISOString(),
      language: null,
      metrics: null,
    };
  }

  /** Meta leaves `from` out when the person's privacy hides them from the Page: a placeholder then. */
  private author(who: z.infer<typeof from> | undefined): RemoteProfile {
    if (!who) return { remoteId: 'unknown', handle: 'unknown', displayName: 'Facebook user', avatarUrl: null, profileUrl: null };
    return { remoteId: who.id, handle: who.id, displayName: who.name ?? 'Facebook user', avatarUrl: null, profileUrl: `https://www.facebook.com/${who.id}` };
  }
}

function webhookItem(row: MetaWebhookEventsTable): NormalizedItem {
  return {
    network: 'facebook',
    remoteId: row.object_id,
    url: null,
    author: row.from_id
      ? {
          remoteId: row.from_id,
          handle: row.from_id,
          displayName: row.from_name ?? 'Facebook user',
          avatarUrl: null,
          profileUrl: `https://www.facebook.com/${row.from_id}`,
        }
      : { remoteId: 'unknown', handle: 'unknown', displayName: 'Facebook user', avatarUrl: null, profileUrl: null },
    text: row.text,
    html: null,
    links: [...row.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
    media: [],
    // A post that names the Page answers nothing; a comment answers its parent or its post.
    replyToRemoteId: row.object_id === row.post_id ? null : (row.parent_id ?? row.post_id),
    quoteOfRemoteId: null,
    createdAt: row.occurred_at,
    language: null,
    metrics: null,
  };
}

const postUrl = (id: string) => `https://www.facebook.com/${id}`;

/** A photo's bytes and alt text as POST /{page-id}/photos takes them (multipart), with these other fields. */
function photoForm(image: PublishImage, fields: Record<string, string>): FormData {
  const form = new FormData();
  form.set('source', new Blob([Uint8Array.from(image.data)], { type: image.mimeType }), 'image');
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (image.alt) form.set('alt_text_custom', image.alt);
  return form;
}
