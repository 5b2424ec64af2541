import { useQuery, useQueryClient } from '@tanstack/react-query';
import { listPosts, type Post, type PostFilter } from '../../api/publishing.js';

export const postsKey = (orgId: string) => ['org', orgId, 'posts'] as const;

const SOON_MS = 10 * 60_000;
const FAST_POLL_MS = 3_000;
const SLOW_POLL_MS = 30_000;

/**
 * How often to ask again (SSE comes later): every few seconds while a target is going out or is
 * due within minutes, so "published" shows up without a reload; slowly while anything else is
 * scheduled; not at all otherwise.
 */
export function pollInterval(posts: Post[] | undefined, now = Date.now()): number | false {
  const live = (posts ?? []).flatMap((p) => p.targets).filter((t) => t.state === 'scheduled' || t.state === 'publishing' || t.state === 'retrying');
  if (live.length === 0) return false;
  const soon = live.some((t) => t.state !== 'scheduled' || (t.nextAttemptAt ?? t.dueAt) === null || Date.parse(t.nextAttemptAt ?? t.dueAt!) - now < SOON_MS);
  return soon ? FAST_POLL_MS : SLOW_POLL_MS;
}

export interface PostLists {
  drafts: Post[];
  pending: Post[];
  scheduled: Post[];
  problems: Post[];
  published: Post[];
}

const LOOKBACK_DAYS = 30;

/** The Publish page's lists; posts that went out are looked up for the last 30 days. */
async function fetchLists(orgId: string): Promise<PostLists & { all: Post[] }> {
  const since = new Date(Date.now() - LOOKBACK_DAYS * 86_400_000).toISOString();
  const [drafts, rejected, pending, scheduled] = await Promise.all([
    listPosts(orgId, { workflow: 'draft' }),
    listPosts(orgId, { workflow: 'rejected' }),
    listPosts(orgId, { workflow: 'pending_approval' }),
    listPosts(orgId, { workflow: 'scheduled', from: since, limit: 1000 }),
  ]);
  const byNewest = (a: Post, b: Post) => (b.dueAt ?? b.updatedAt).localeCompare(a.dueAt ?? a.updatedAt);
  return {
    drafts: [...rejected, ...drafts].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    pending,
    scheduled: scheduled.filter((p) => p.status === 'scheduled' || p.status === 'publishing'),
    problems: scheduled.filter((p) => p.status === 'failed' || p.status === 'partially_published').sort(byNewest),
    published: scheduled.filter((p) => p.status === 'published').sort(byNewest).slice(0, 20),
    all: [...drafts, ...rejected, ...pending, ...scheduled],
  };
}

export const usePostLists = (orgId: string) =>
  useQuery({
    queryKey: [...postsKey(orgId), 'lists'],
    queryFn: () => fetchLists(orgId),
    refetchInterval: (query) => pollInterval(query.state.data?.all),
  });

export const usePostRange = (orgId: string, filter: PostFilter) =>
  useQuery({
    queryKey: [...postsKey(orgId), 'range', filter],
    queryFn: () => listPosts(orgId, { limit: 1000, ...filter }),
    refetchInterval: (query) => pollInterval(query.state.data),
  });

export function useRefreshPosts(orgId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: postsKey(orgId) });
}
