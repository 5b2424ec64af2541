import { z } from 'zod';
import type {
  AccountHealth,
  AccountMetrics,
  Capabilities,
  ChannelConnector,
  ConnectorContext,
  ConnectorResult,
  NormalizedItem,
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
import { mastodonRules, privateReplyText } from '../../../core/networks/mastodon.js';
import { MastodonApi, type MastodonAnswer } from './api.js';
import { mastodonCredentialsSchema, type MastodonCredentials } from './credentials.js';
import { RequestProblem } from './failures.js';
import { account, itemFromStatus, metricsOf, notification, status, toRemoteProfile } from './items.js';
import { DEFAULT_LIMITS, limitsFromInstance, measureMastodonText, type InstanceLimits } from './limits.js';

/** Notification types whose status is a post addressed to the account (not our own post being favourited). */
export const NOTIFICATION_TYPES = ['mention', 'status', 'quote'];

export { mastodonCredentialsSchema };

export function createMastodonConnector(credentials: MastodonCredentials, ctx: ConnectorContext): ChannelConnector {
  return new MastodonConnector(new MastodonApi(mastodonCredentialsSchema.parse(credentials), ctx));
}

const created = z.object({ id: z.string(), url: z.string().nullish(), uri: z.string(), created_at: z.string() });
const mediaAttachment = z.object({ id: z.string() });

class MastodonConnector implements ChannelConnector {
  readonly network = 'mastodon' as const;
  /** Stock limits until verify() has read the instance's own configuration. */
  private limits: InstanceLimits = DEFAULT_LIMITS;
  private limitsRead = false;

  constructor(private readonly api: MastodonApi) {}

  get capabilities(): Capabilities {
    // The network's rules, with the media this instance allows. Quote posts exist from Mastodon 4.5; older servers ignore quoted_status_id.
    const { media } = mastodonRules.capabilities;
    return {
      ...mastodonRules.capabilities,
      media: { ...media, maxImages: this.limits.maxImages, maxBytes: this.limits.imageSizeLimit, mimeTypes: this.limits.mimeTypes },
    };
  }

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.api.run(async () => {
      const me = await this.me();
      await this.readLimits();
      return toRemoteProfile(me);
    });
  }

  private async readLimits(): Promise<void> {
    this.limits = limitsFromInstance((await this.api.call({ path: '/api/v2/instance' })).body);
    this.limitsRead = true;
  }

  async health(): Promise<AccountHealth> {
    const result = await this.verify();
    if (result.ok) return { status: 'ok' };
    if (result.failure.kind === 'auth') return { status: 'needs_reconnect', reason: result.failure.message };
    return { status: 'degraded', reason: result.failure.message };
  }

  readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    return this.api.run(async () => {
      const page: [string, string | undefined][] = [
        ['limit', String(Math.min(Math.max(request.limit ?? 30, 1), 40))],
        ['max_id', request.cursor ?? undefined],
      ];
      switch (request.kind) {
        case 'home':
          return fromStatuses(await this.api.call({ path: '/api/v1/timelines/home', query: page }));
        case 'mentions':
        case 'notifications': {
          const types = request.kind === 'mentions' ? ['mention'] : NOTIFICATION_TYPES;
          const answer = await this.api.call({ path: '/api/v1/notifications', query: [...page, ...types.map((type): [string, string] => ['types[]', type])] });
          const items = z
            .array(z.unknown())
            .parse(answer.body)
            .map((raw) => {
              const parsed = notification.safeParse(raw);
              return parsed.success && types.includes(parsed.data.type) ? itemFromStatus(parsed.data.status) : null;
            });
          return { items: present(items), olderCursor: answer.nextMaxId };
        }
        case 'user_posts': {
          const id = request.target ? await this.accountIdOf(request.target) : (await this.me()).id;
          return fromStatuses(await this.api.call({ path: `/api/v1/accounts/${encodeURIComponent(id)}/statuses`, query: page }));
        }
        case 'list':
          return fromStatuses(await this.api.call({ path: `/api/v1/timelines/list/${encodeURIComponent(required(request))}`, query: page }));
        case 'search': {
          const target = required(request);
          if (/^#?[\p{L}\p{N}_]+$/u.test(target)) {
            return fromStatuses(await this.api.call({ path: `/api/v1/timelines/tag/${encodeURIComponent(target.replace(/^#/, ''))}`, query: page }));
          }
          // Full-text search only finds what the instance indexes (often only the user's own interactions).
          const answer = await this.api.call({ path: '/api/v2/search', query: [...page, ['q', target], ['type', 'statuses'], ['resolve', 'false']] });
          const statuses = z.object({ statuses: z.array(z.unknown()) }).parse(answer.body).statuses;
          const items = present(statuses.map(itemFromStatus));
          return { items, olderCursor: items.length ? items[items.length - 1]!.remoteId : null };
        }
        default:
          throw new RequestProblem('unsupported_stream', `Mastodon has no ${request.kind} stream`);
      }
    });
  }

  /** The Idempotency-Key header makes the server return the first status for a repeated key (kept for about an hour). */
  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    // A publisher's fresh connector knows only the stock limits; an instance may allow more.
    const privateTo = request.replyTo?.privateTo;
    const text = privateTo ? privateReplyText(privateTo, request.text) : request.text;
    if (!this.limitsRead && (this.measureText(text, request.images?.length).tooLong || (request.images?.length ?? 0) > this.limits.maxImages)) {
      const read = await this.api.run(() => this.readLimits());
      if (!read.ok) return failed(read.failure);
    }
    const refused = refusedText(this.measureText(text, request.images?.length));
    if (refused) return failed(refused);
    if ((request.images?.length ?? 0) > this.limits.maxImages)
      return failed({ kind: 'permanent', message: `at most ${this.limits.maxImages} images`, code: 'too_many_images' });
    return this.api.run(async () => {
      const startedAt = this.api.now().getTime();
      const mediaIds = [];
      for (const image of request.images ?? []) {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(image.data)], { type: image.mimeType }), `image.${image.mimeType.split('/')[1] ?? 'bin'}`);
        if (image.alt) form.append('description', image.alt);
        mediaIds.push(mediaAttachment.parse((await this.api.call({ method: 'POST', path: '/api/v2/media', form })).body).id);
      }
      const body: Record<string, unknown> = { status: text, visibility: privateTo ? 'direct' : 'public' };
      if (request.replyTo) body.in_reply_to_id = request.replyTo.remoteId;
      if (request.quote) body.quoted_status_id = request.quote.remoteId;
      if (mediaIds.length) body.media_ids = mediaIds;
      if (request.languages?.[0]) body.language = request.languages[0];
      const answer = await this.api.call({ method: 'POST', path: '/api/v1/statuses', json: body, headers: { 'idempotency-key': request.idempotencyKey } });
      const post = created.parse(answer.body);
      // A repeated key gets the original status back, unmarked: a creation time before this
      // attempt began (with a minute for clock skew) shows it.
      const alreadyExisted = Date.parse(post.created_at) < startedAt - 60_000;
      return { remoteId: post.id, cid: null, url: post.url ?? post.uri, alreadyExisted };
    });
  }

  like(post: PostRef): Promise<ConnectorResult<Reaction>> {
    return this.statusAction(post, 'favourite');
  }

  repost(post: PostRef): Promise<ConnectorResult<Reaction>> {
    return this.statusAction(post, 'reblog');
  }

  unlike(post: PostRef): Promise<ConnectorResult<void>> {
    return this.undoStatusAction(post, 'unfavourite');
  }

  unrepost(post: PostRef): Promise<ConnectorResult<void>> {
    return this.undoStatusAction(post, 'unreblog');
  }

  deletePost(post: PostRef): Promise<ConnectorResult<void>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'DELETE', path: `/api/v1/statuses/${encodeURIComponent(post.remoteId)}` });
    });
  }

  postMetrics(post: PostRef): Promise<ConnectorResult<PostMetrics>> {
    return this.api.run(async () => metricsOf(status.parse((await this.api.call({ path: `/api/v1/statuses/${encodeURIComponent(post.remoteId)}` })).body)));
  }

  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.api.run(async () => {
      const me = await this.me();
      return { followers: me.followers_count ?? 0, following: me.following_count ?? null, posts: me.statuses_count ?? null };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return measureMastodonText(text, this.limits, mediaCount);
  }

  /** Favouriting or reblogging twice keeps one (Mastodon answers the status again); the status id keys it. */
  private statusAction(post: PostRef, action: 'favourite' | 'reblog'): Promise<ConnectorResult<Reaction>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'POST', path: `/api/v1/statuses/${encodeURIComponent(post.remoteId)}/${action}` });
      return { recordId: post.remoteId };
    });
  }

  /** Mastodon answers success when there was nothing to undo. */
  private undoStatusAction(post: PostRef, action: 'unfavourite' | 'unreblog'): Promise<ConnectorResult<void>> {
    return this.api.run(async () => {
      await this.api.call({ method: 'POST', path: `/api/v1/statuses/${encodeURIComponent(post.remoteId)}/${action}` });
    });
  }

  private async me() {
    const me = account.parse((await this.api.call({ path: '/api/v1/accounts/verify_credentials' })).body);
    return me;
  }

  private async accountIdOf(target: string): Promise<string> {
    if (/^\d+$/.test(target)) return target;
    return account.parse((await this.api.call({ path: '/api/v1/accounts/lookup', query: [['acct', target.replace(/^@/, '')]] })).body).id;
  }
}

function fromStatuses(answer: MastodonAnswer): StreamPage {
  const items = present(z.array(z.unknown()).parse(answer.body).map(itemFromStatus));
  return { items, olderCursor: answer.nextMaxId };
}

function required(request: StreamRequest): string {
  if (!request.target) throw new RequestProblem('stream_target_missing', `the ${request.kind} stream needs a target`);
  return request.target;
}

function present(items: (NormalizedItem | null)[]): NormalizedItem[] {
  return items.filter((item): item is NormalizedItem => item !== null);
}

/** A direct status reaches only the accounts it mentions: the text starts with the person's handle unless it names them already. */
