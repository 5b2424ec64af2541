import { AtUri, XRPCError, type AtpAgent } from '@atproto/api';
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
  type Reaction,
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
const LIKE_COLLECTION = 'app.bsky.feed.like';
const REPOST_COLLECTION = 'app.bsky.feed.repost';

async function recordExists(agent: AtpAgent, repo: string, collection: string, rkey: string): Promise<boolean> {
  try {
    await agent.com.atproto.repo.getRecord({ repo, collection, rkey });
    return true;
  } catch (error) {
    if ((error as { error?: string }).error === 'RecordNotFound') return false;
    throw error;
  }
}
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

  like(post: PostRef): Promise<ConnectorResult<Reaction>> {
    return this.react(post, LIKE_COLLECTION);
  }

  repost(post: PostRef): Promise<ConnectorResult<Reaction>> {
    return this.react(post, REPOST_COLLECTION);
  }

  unlike(post: PostRef, recordId: string | null): Promise<ConnectorResult<void>> {
    return this.unreact(post, LIKE_COLLECTION, recordId);
  }

  unrepost(post: PostRef, recordId: string | null): Promise<ConnectorResult<void>> {
    return this.unreact(post, REPOST_COLLECTION, recordId);
  }

  /**
   * At most one like (repost) of a post per account: the record key comes from the post's uri, so
   * a second like, concurrent or repeated, finds or collides with the first instead of writing another.
   */
  private react(post: PostRef, collection: typeof LIKE_COLLECTION | typeof REPOST_COLLECTION): Promise<ConnectorResult<Reaction>> {
    return this.session.run(async (agent) => {
      const did = this.session.did;
      const rkey = recordKeyFor(`${collection}:${post.remoteId}`);
      const uri = AtUri.make(did, collection, rkey).toString();
      if (await recordExists(agent, did, collection, rkey)) return { recordId: uri };
      const subject = await strongRefOf(agent, post);
      const record = { $type: collection, subject, createdAt: this.ctx.now().toISOString() };
      try {
        await agent.com.atproto.repo.createRecord({ repo: did, collection, rkey, record, validate: true });
      } catch (error) {
        // A concurrent like won the key (the PDS answers a duplicate key with a 500).
        if (!(await recordExists(agent, did, collection, rkey))) throw error;
      }
      return { recordId: uri };
    });
  }

  private unreact(post: PostRef, collection: typeof LIKE_COLLECTION | typeof REPOST_COLLECTION, recordId: string | null): Promise<ConnectorResult<void>> {
    return this.session.run(async (agent) => {
      const did = this.session.did;
      const uri = new AtUri(recordId ?? AtUri.make(did, collection, recordKeyFor(`${collection}:${post.remoteId}`)).toString());
      // Only this account's own record of that kind: a stored id never deletes anything else.
      if (uri.host !== did || uri.collection !== collection)
        throw new RequestProblem('invalid_record', `not this account's ${collection} record: ${uri.toString()}`);
      // Deleting a record that is already gone succeeds: undo is idempotent.
      await agent.com.atproto.repo.deleteRecord({ repo: did, collection, rkey: uri.rkey });
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
