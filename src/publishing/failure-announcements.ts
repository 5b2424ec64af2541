import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR } from '../channels/publishing-directory.js';
import { markNeedsReconnect } from '../channels/service.js';
import type { Clock } from '../lib/clock.js';
import type { SafeFetch } from '../lib/outbound-http/safe-fetch.js';
import type { TargetFailure } from './publisher.js';
import type { Database } from '../store/database.js';
import { OrgScope } from '../teams/org-scope.js';
import { announce } from '../notifications/service.js';

/**
 * What the publisher calls when a target failed for good: the author hears it in the app and by
 * webhook, and a refused credential marks the channel as needing reconnecting.
 */
export function announceTargetFailure(db: Kysely<Database>, clock: Clock, fetch: () => SafeFetch) {
  return async (failure: TargetFailure): Promise<void> => {
    const scope = new OrgScope(db, failure.orgId, SYSTEM_ACTOR, clock);
    if (failure.kind === 'auth') await markNeedsReconnect(scope, failure.channelAccountId, failure.reason);
    await announce(scope, fetch(), {
      kind: 'post.target_failed',
      userId: failure.authorUserId,
      title: `A post did not go out on ${failure.network}`,
      body: failure.reason,
      link: `/orgs/${failure.orgId}/publish?post=${failure.postId}`,
      payload: { postId: failure.postId, targetId: failure.targetId, network: failure.network, failureKind: failure.kind, reason: failure.reason },
    });
  };
}
