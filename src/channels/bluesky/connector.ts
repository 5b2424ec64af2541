import { AtUri, XRPCError } from '@atproto/api';
import {
  failed,
  type AccountHealth,
  type AccountMetrics,
  type Capabilities,
  type ChannelConnector,
  type ConnectorContext,
  type ConnectorResult,
  type PostMetrics,
  type PostRef,
  type PublishRequest,
  type PublishedPost,
  type RemoteProfile,
  type StreamPage,
  type StreamRequest,
  type TextMeasure,
  refusedText,
} from '../connector.js';
import { blueskyRules } from '../../../core/networks/bluesky.js';
import { blueskyCredentialsSchema, type BlueskyCredentials } from './credentials.js';
import { isAuthError, RequestProblem } from './failures.js';
import { metricsOf, postUrl, postView, toRemoteProfile, webViewOf } from './items.js';
import { buildPostRecord, getRecordOrNull, strongRefOf } from './post-record.js';
import { recordKeyFor } from './record-key.js';
import { BlueskyAccountSession } from './session.js';
import { readBlueskyStream } from './streams.js';

const POST_COLLECTION = 'app.bsky.feed.post';
export const blueskyCapabilities: Capabilities = blueskyRules.capabilities;
const MAX_IMAGES = blueskyCapabilities.media.maxImages;

export { blueskyCredentialsSchema };

export function createBlueskyConnector(credentials: BlueskyCredentials, ctx: ConnectorContext): ChannelConnector {
  return new BlueskyConnector(blueskyCredentialsSchema.parse(credentials), ctx);
}

class BlueskyConnector implements ChannelConnector {
  readonly network = 'bluesky' as const;
  readonly capabilities = blueskyCapabilities;
  private readonly session: BlueskyAccountSession;
  /** Where this account's posts open: bsky.app on the main network, their at-uri elsewhere. */
  private readonly webView: string | null;

  constructor(
    credentials: BlueskyCredentials,
    private readonly ctx: ConnectorContext,
  ) {
    this.session = new BlueskyAccountSession(credentials, ctx);
    this.webView = webViewOf(credentials.service);
  }

  verify(): Promise<ConnectorResult<RemoteProfile>> {
    return this.session.run(async (agent) => {
      try {
        return toRemoteProfile((await agent.getProfile({ actor: this.session.did })).data);
      } catch (error) {
        // A brand-new account may not be indexed by the AppView yet; the session alone proves the credentials.
        if (!(error instanceof XRPCError) || error.status !== 400 || isAuthError(error)) throw error;
        const handle = agent.session?.handle ?? this.session.did;
        return toRemoteProfile({ did: this.session.did, handle });
      }
    });
  }

  async health(): Promise<AccountHealth> {
    const result = await this.verify();
    if (result.ok) return { status: 'ok' };
    if (result.failure.kind === 'auth') return { status: 'needs_reconnect', reason: result.failure.message };
    return { status: 'degraded', reason: result.failure.message };
  }

  readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    return this.session.run((agent) => readBlueskyStream(agent, this.session.did, request, this.webView));
  }

  /**
   * Exactly once: the record key comes from the idempotency key, so a retry either finds the
   * record already in the repository or collides with it; it never writes a second post.
   */
  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    const refused = refusedText(this.measureText(request.text, request.images?.length));
    if (refused) return failed(refused);
    if ((request.images?.length ?? 0) > MAX_IMAGES) return failed({ kind: 'permanent', message: `at most ${MAX_IMAGES} images`, code: 'too_many_images' });
    return this.session.run(async (agent) => {
      const did = this.session.did;
      const rkey = recordKeyFor(request.idempotencyKey);
      const uri = AtUri.make(did, POST_COLLECTION, rkey).toString();
      const existing = await getRecordOrNull(agent, uri);
      if (existing) return this.published(existing, true);
      const record = await buildPostRecord(agent, request, this.ctx.now());
      try {
        const created = await agent.com.atproto.repo.createRecord({ repo: did, collection: POST_COLLECTION, rkey, record, validate: true });
        return this.published(created.data, false);
      } catch (error) {
        // A concurrent or earlier attempt won the key (the PDS answers a duplicate key with a 500).
        const winner = await getRecordOrNull(agent, uri);
        if (winner) return this.published(winner, true);
        throw error;
      }
    });
  }

  like(post: PostRef): Promise<ConnectorResult<void>> {
    return this.session.run(async (agent) => {
      const ref = await strongRefOf(agent, post);
      await agent.like(ref.uri, ref.cid);
    });
  }

  repost(post: PostRef): Promise<ConnectorResult<void>> {
    return this.session.run(async (agent) => {
      const ref = await strongRefOf(agent, post);
      await agent.repost(ref.uri, ref.cid);
    });
  }

  deletePost(post: PostRef): Promise<ConnectorResult<void>> {
    return this.session.run(async (agent) => {
      await agent.deletePost(post.remoteId);
    });
  }

  postMetrics(post: PostRef): Promise<ConnectorResult<PostMetrics>> {
    return this.session.run(async (agent) => {
      const found = (await agent.getPosts({ uris: [post.remoteId] })).data.posts[0];
      if (!found) throw new RequestProblem('post_not_found', `post not found: ${post.remoteId}`);
      return metricsOf(postView.parse(found));
    });
  }

  accountMetrics(): Promise<ConnectorResult<AccountMetrics>> {
    return this.session.run(async (agent) => {
      const profile = (await agent.getProfile({ actor: this.session.did })).data;
      return { followers: profile.followersCount ?? 0, following: profile.followsCount ?? null, posts: profile.postsCount ?? null };
    });
  }

  measureText(text: string, mediaCount = 0): TextMeasure {
    return blueskyRules.measureText(text, { mediaCount });
  }

  private published(record: { uri: string; cid: string }, alreadyExisted: boolean): PublishedPost {
    const handle = this.session.agent.session?.handle ?? this.session.did;
    return { remoteId: record.uri, cid: record.cid, url: postUrl(handle, record.uri, this.webView), alreadyExisted };
  }
}
