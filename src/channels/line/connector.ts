import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { LINE_TEXT_LIMIT, lineRules } from '../../../core/networks/line.js';
import type { OrgScope } from '../../teams/org-scope.js';
import {
  failed,
  succeeded,
  type AccountHealth,
  type AccountMetrics,
  type ChannelConnector,
  type ConnectorResult,
  type NormalizedItem,
  type PostRef,
  type PublishedPost,
  type PublishRequest,
  type RemoteProfile,
  type SendingQuota,
  type StreamPage,
  type StreamRequest,
  type TextMeasure,
} from '../connector.js';
import type { ChannelContext } from '../channel-context.js';
import { mediaHostMissing, type PublicImageHost } from '../public-images.js';
import { LineApi } from './api.js';
import { lineCredentialsSchema, type LineCredentials } from './credentials.js';
import { BadChatCursor } from '../chat-threads.js';
import { listLineMessages } from './inbound-events.js';
import { LineProfiles } from './profiles.js';
import type { LineInboundEventsTable } from './tables.js';

export { lineCredentialsSchema };

const botInfo = z.object({
  userId: z.string(),
  basicId: z.string(),
  premiumId: z.string().optional(),
  displayName: z.string(),
  pictureUrl: z.string().optional(),
});
const pushAnswer = z.object({ sentMessages: z.array(z.object({ id: z.string() })).default([]) });
const quotaAnswer = z.object({ type: z.enum(['none', 'limited']), value: z.number().int().nonnegative().optional() });
const consumptionAnswer = z.object({ totalUsage: z.number().int().nonnegative() });
/** The message objects Chorus sends (Messaging API, "Message objects"): 1 to 5 per request. */
type LineMessage = { type: 'text'; text: string } | { type: 'image'; originalContentUrl: string; previewImageUrl: string };

const followersAnswer = z.object({
  status: z.string(),
  followers: z.number().int().nonnegative().optional(),
  blocks: z.number().int().nonnegative().optional(),
});

export function createLineConnector(credentials: LineCredentials, context: ChannelContext): ChannelConnector {
  return new LineConnector(new LineApi(lineCredentialsSchema.parse(credentials), context), context.org, context.channelId, context.publicImages);
}

/**
 * A LINE Official Account. Users' 1:1 chat messages arrive by webhook (src/channels/line/
 * webhook-routes.ts) and are read back from Chorus's own table as the 'messages' stream. A post
 * is a broadcast to every friend; a reply is a push message to the person who wrote. A post's
 * image is an image message whose address Chorus serves (src/public-media/).
 * Exactly once: every send carries X-Line-Retry-Key derived from the publish key, so LINE runs
 * a retried request once and answers 409 to the repeat.
 */
class LineConnector implements ChannelConnector {
  readonly network = 'line' as const;
  readonly capabilities = lineRules.capabilities;
  private readonly profiles: LineProfiles;

  constructor(
    private readonly api: LineApi,
    private readonly scope: OrgScope,
    /** Null while a new connection is being verified: there is no stored channel to read yet. */
    private readonly channelId: string | null,
    /** Serves an image message's address; null without CHORUS_PUBLIC_URL (`media_host_missing`). */
    private readonly imageHost: PublicImageHost | null,
  ) {
    this.profiles = new LineProfiles(api, channelId ?? 'verifying');
  }

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.api.run(async () => {
      const bot = botInfo.parse((await this.api.call({ path: '/v2/bot/info' })).body);
      const id = bot.premiumId ?? bot.basicId;
      return {
        remoteId: bot.userId,
        handle: id,
        displayName: bot.displayName,
        avatarUrl: bot.pictureUrl ?? null,
        profileUrl: `https://line.me/R/ti/p/${encodeURIComponent(id)}`,
      };
    });
  }

  async health(): Promise<AccountHealth> {
    const result = await this.verify();
    if (result.ok) return { status: 'ok' };
    return result.failure.kind === 'auth'
      ? { status: 'needs_reconnect', reason: result.failure.message }
      : { status: 'degraded', reason: result.failure.message };
  }

  async readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    if (request.kind !== 'messages')
      return failed({ kind: 'permanent', code: 'unsupported_stream', message: `A LINE account has no "${request.kind}" stream` });
    if (!this.channelId) return succeeded({ items: [], olderCursor: null });
    try {
      const page = await listLineMessages(this.scope, this.channelId, { before: request.cursor, limit: Math.min(request.limit ?? 50, 200) });
      const names = await this.profiles.namesOf(page.messages.map(({ row }) => row.user_id).filter((id): id is string => id !== null));
      const items = page.messages.map(({ row, previousMessageId }) => toItem(row, previousMessageId, names.get(row.user_id ?? '')));
      return succeeded({ items, olderCursor: page.olderCursor });
    } catch (error) {
      if (error instanceof BadChatCursor) return failed({ kind: 'permanent', code: 'bad_cursor', message: error.message });
      return failed({ kind: 'transient', message: `LINE messages could not be read: ${(error as Error).message}` });
    }
  }

  /**
   * A reply goes to the person who wrote the message replied to (push); anything else is a
   * broadcast to every friend. One request carries the text message, then the image message
   * (LINE fetches both of its addresses from Chorus's public media host), under one retry key.
   */
  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    const text = request.text.trim();
    const images = request.images ?? [];
    const media = lineRules.capabilities.media;
    if (!text && images.length === 0) return failed({ kind: 'permanent', code: 'empty', message: 'A LINE message needs text or an image' });
    if (text.length > LINE_TEXT_LIMIT)
      return failed({ kind: 'permanent', code: 'too_long', message: `A LINE message holds at most ${LINE_TEXT_LIMIT} characters` });
    if (images.length > media.maxImages)
      return failed({ kind: 'permanent', code: 'too_many_images', message: `Chorus sends at most ${media.maxImages} image per LINE message` });
    const image = images[0];
    if (image && !media.mimeTypes.includes(image.mimeType))
      return failed({ kind: 'permanent', code: 'media_unsupported', message: 'LINE takes JPEG and PNG images only' });
    if (image && image.data.byteLength > media.maxBytes)
      return failed({
        kind: 'permanent',
        code: 'image_too_large',
        message: `A LINE image is shown as its own preview, which holds at most ${media.maxBytes} bytes (this one has ${image.data.byteLength})`,
      });
    if (image && !this.imageHost) return failed(mediaHostMissing('LINE'));
    const recipient = request.replyTo ? await this.authorOf(request.replyTo.remoteId) : null;
    if (request.replyTo && !recipient)
      return failed({ kind: 'permanent', code: 'post_not_found', message: 'The LINE message replied to is not in Chorus, so its sender is unknown' });
    return this.api.run(async () => {
      const messages: LineMessage[] = text ? [{ type: 'text', text }] : [];
      if (image) {
        const address = await this.imageHost!.publicUrlFor(image);
        messages.push({ type: 'image', originalContentUrl: address, previewImageUrl: address });
      }
      const retryKey = retryKeyFor(request.idempotencyKey);
      const answer = recipient
        ? await this.api.call({ method: 'POST', path: '/v2/bot/message/push', json: { to: recipient, messages }, retryKey })
        : await this.api.call({ method: 'POST', path: '/v2/bot/message/broadcast', json: { messages }, retryKey });
      if (answer.status === 409) return { remoteId: answer.headers.get('x-line-accepted-request-id') ?? retryKey, url: null, alreadyExisted: true };
      const sent = recipient ? pushAnswer.parse(answer.body ?? {}).sentMessages[0]?.id : undefined;
      return { remoteId: sent ?? answer.headers.get('x-line-request-id') ?? retryKey, url: null, alreadyExisted: false };
    });
  }

  like = unsupported;
  repost = unsupported;
  unlike = unsupported;
  unrepost = unsupported;
  deletePost = unsupported;
  postMetrics = unsupported;

  /** Friends as of yesterday in Japan (LINE computes the statistics once a day, for the day before). */
  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.api.run(async () => {
      const date = DateTime.fromJSDate(this.api.now()).setZone('Asia/Tokyo').minus({ days: 1 }).toFormat('yyyyMMdd');
      const answer = followersAnswer.parse((await this.api.call({ path: '/v2/bot/insight/followers', query: { date } })).body);
      if (answer.status !== 'ready' || answer.followers === undefined)
        throw new Error(`LINE has not computed the friend count for ${date} yet (status ${answer.status})`);
      return { followers: answer.followers, following: null, posts: null };
    });
  }

  /** This month's message allowance and use: a broadcast counts once per friend it reaches. */
  quota(): Promise<ConnectorResult<SendingQuota>> {
    return this.api.run(async () => {
      const [limit, used] = await Promise.all([this.api.call({ path: '/v2/bot/message/quota' }), this.api.call({ path: '/v2/bot/message/quota/consumption' })]);
      const quota = quotaAnswer.parse(limit.body);
      return {
        unit: 'messages',
        period: 'month',
        limit: quota.type === 'limited' ? (quota.value ?? 0) : null,
        used: consumptionAnswer.parse(used.body).totalUsage,
      };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return lineRules.measureText(text, { mediaCount });
  }

  private async authorOf(messageId: string): Promise<string | null> {
    if (!this.channelId) return null;
    const row = await this.scope
      .selectFrom('line_inbound_events')
      .select('user_id')
      .where('channel_id', '=', this.channelId)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row?.user_id ?? null;
  }
}

function toItem(row: LineInboundEventsTable, previousMessageId: string | null, name: string | undefined): NormalizedItem {
  const userId = row.user_id ?? 'unknown';
  return {
    network: 'line',
    remoteId: row.message_id ?? row.webhook_event_id,
    url: null,
    // A LINE user has no public handle: the user id is the one stable name (what the CRM matches on).
    author: { remoteId: userId, handle: userId, displayName: name ?? 'LINE user', avatarUrl: null, profileUrl: null },
    text: row.text,
    html: null,
    title: null,
    links: [...row.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
    media: [],
    // The sender's previous message: the inbox keeps one person's chat in one conversation.
    replyToRemoteId: previousMessageId,
    quoteOfRemoteId: null,
    createdAt: row.occurred_at,
    language: null,
    metrics: null,
    // A 1:1 chat: addressed to the account, never public.
    isDirect: true,
  };
}

/** LINE wants a UUID; the same publish key always gives the same one, so a retry is recognised. */
export function retryKeyFor(idempotencyKey: string): string {
  const hex = createHash('sha256').update(`chorus-line:${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function unsupported(_post?: PostRef): Promise<ConnectorResult<never>> {
  return failed({ kind: 'permanent', code: 'unsupported', message: 'LINE does not support this' });
}
