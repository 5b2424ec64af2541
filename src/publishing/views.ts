import { livePostUrl } from '../../core/networks/index.js';
import type { PostTargetsTable, PostsTable, PostWorkflow, TargetState } from './tables.js';
import type { PostStatus, PostView, TargetView } from '../../core/api/publishing.js';

/** What a post looks like from the outside; computed, never stored, so it cannot drift. */
export { POST_STATUSES, type PostStatus, type PostView, type TargetView } from '../../core/api/publishing.js';

export function derivePostStatus(workflow: PostWorkflow, states: TargetState[]): PostStatus {
  if (workflow !== 'scheduled') return workflow;
  const live = states.filter((s) => s !== 'cancelled');
  if (live.length === 0) return 'cancelled';
  if (live.every((s) => s === 'published')) return 'published';
  if (live.some((s) => s === 'publishing' || s === 'retrying')) return 'publishing';
  if (live.every((s) => s === 'failed')) return 'failed';
  if (live.some((s) => s === 'published') && live.some((s) => s === 'failed')) return 'partially_published';
  if (live.some((s) => s === 'published')) return 'publishing';
  return 'scheduled';
}

export const presentTarget = (row: PostTargetsTable): TargetView => ({
  id: row.id,
  channelAccountId: row.channel_account_id,
  network: row.network,
  state: row.state,
  body: row.body,
  dueAt: row.due_at,
  nextAttemptAt: row.next_attempt_at,
  attempts: row.attempts,
  remoteId: row.remote_id,
  remoteUrl: row.remote_url,
  url: livePostUrl(row.remote_url),
  failureKind: row.failure_kind,
  failureReason: row.failure_reason,
  publishedAt: row.published_at,
});

export function presentPost(row: PostsTable, targets: PostTargetsTable[]): PostView {
  const views = targets.map(presentTarget);
  return {
    id: row.id,
    status: derivePostStatus(
      row.workflow,
      views.map((t) => t.state),
    ),
    workflow: row.workflow,
    text: row.text,
    overrides: JSON.parse(row.overrides) as Record<string, string>,
    scheduledLocal: row.scheduled_local,
    timeZone: row.time_zone,
    dueAt: row.due_at,
    campaign: row.campaign,
    shortenLinks: row.shorten_links == null ? null : row.shorten_links === 1,
    seriesId: row.series_id,
    authorUserId: row.author_user_id,
    reviewComment: row.review_comment,
    reviewedBy: row.reviewed_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    targets: views,
  };
}
