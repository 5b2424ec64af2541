import { z } from 'zod';
import { DomainError } from '../../lib/domain-error.js';
import type { OrgScope } from '../../teams/org-scope.js';
import { orgName } from '../../teams/service.js';
import {
  failed,
  succeeded,
  type AccountHealth,
  type Capabilities,
  type ChannelConnector,
  type ConnectorResult,
  type NormalizedItem,
  type PostRef,
  type PublishedPost,
  type PublishRequest,
  type RemoteProfile,
  type StreamPage,
  type StreamRequest,
} from '../connector.js';
import { teamRules } from '../../../core/networks/team.js';
import { createPost, deletePost, listPosts, type TeamPostView } from '../../team-feed/service.js';

/** The team feed needs no credentials: it is the org's own network inside Chorus. */
export const TeamCredentials = z.strictObject({});

/**
 * The org's internal feed as a channel, so streams show it like any network. It speaks for
 * the member the scope belongs to: publish posts as them, 'mentions' are posts mentioning them.
 */
export class TeamConnector implements ChannelConnector {
  readonly network = 'team' as const;
  readonly capabilities: Capabilities = teamRules.capabilities;

  constructor(private readonly scope: OrgScope) {}

  async verify(): Promise<ConnectorResult<RemoteProfile>> {
    const name = await orgName(this.scope.shared, this.scope.orgId);
    if (name === undefined) return failed({ kind: 'auth', message: 'The organization no longer exists' });
    return succeeded({ remoteId: this.scope.orgId, handle: 'team', displayName: `${name} team`, avatarUrl: null, profileUrl: null });
  }

  async health(): Promise<AccountHealth> {
    return (await this.verify()).ok ? { status: 'ok' } : { status: 'needs_reconnect', reason: 'The organization no longer exists' };
  }

  /** kind 'team': every post (target = a group id for one group); kind 'mentions': posts mentioning the member. */
  async readStream(request: StreamRequest): Promise<ConnectorResult<StreamPage>> {
    if (request.kind !== 'team' && request.kind !== 'mentions')
      return failed({ kind: 'permanent', code: 'unsupported_stream', message: `The team feed has no "${request.kind}" stream` });
    return this.guard(async () => {
      const { posts, nextCursor } = await listPosts(this.scope, {
        groupId: request.kind === 'team' ? request.target || undefined : undefined,
        mentioning: request.kind === 'mentions' ? this.scope.actor.userId : undefined,
        before: request.cursor,
        limit: Math.min(request.limit ?? 50, 200),
      });
      return { items: posts.map((p) => this.toItem(p)), olderCursor: nextCursor };
    });
  }

  async publish(request: PublishRequest): Promise<ConnectorResult<PublishedPost>> {
    return this.guard(async () => {
      const { post, alreadyExisted } = await createPost(this.scope, { text: request.text, idempotencyKey: request.idempotencyKey });
      return { remoteId: post.id, url: null, alreadyExisted };
    });
  }

  async deletePost(post: PostRef): Promise<ConnectorResult<void>> {
    return this.guard(() => deletePost(this.scope, post.remoteId));
  }

  like = unsupported;
  repost = unsupported;
  unlike = unsupported;
  unrepost = unsupported;
  postMetrics = unsupported;
  accountMetrics = unsupported;

  measureText(text: string, mediaCount = 0) {
    return teamRules.measureText(text, { mediaCount });
  }

  /** Rule violations become permanent failures; anything else (the database) is transient. */
  private async guard<T>(work: () => Promise<T>): Promise<ConnectorResult<T>> {
    try {
      return succeeded(await work());
    } catch (error) {
      if (error instanceof DomainError) return failed({ kind: 'permanent', code: error.code, message: error.message });
      return failed({ kind: 'transient', message: `The team feed could not be read: ${(error as Error).message}` });
    }
  }

  private toItem(post: TeamPostView): NormalizedItem {
    const author = post.author ?? { userId: 'former-member', name: 'Former member' };
    return {
      network: 'team',
      remoteId: post.id,
      url: null,
      author: { remoteId: author.userId, handle: author.name, displayName: author.name, avatarUrl: null, profileUrl: null },
      text: post.text,
      html: null,
      title: null,
      links: [...post.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
      media: [],
      replyToRemoteId: null,
      quoteOfRemoteId: null,
      createdAt: post.createdAt,
      language: null,
      metrics: null,
    };
  }
}

async function unsupported(): Promise<ConnectorResult<never>> {
  return failed({ kind: 'permanent', code: 'unsupported', message: 'The team feed does not support this' });
}
