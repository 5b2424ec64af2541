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

/** The Publish page's lists; failures and what went out come newest first, from the server's derived statuses. */
async function fetchLists(orgId: string): Promise<PostLists & { all: Post[] }> {
  const [drafts, rejected, pending, scheduled, problems, published] = await Promise.all([
    listPosts(orgId, { workflow: 'draft', order: 'updated_desc' }),
    listPosts(orgId, { workflow: 'rejected', order: 'updated_desc' }),
    listPosts(orgId, { workflow: 'pending_approval' }),
    // Newest due first so the window the server filters in holds what is still to come; shown soonest first.
    listPosts(orgId, { workflow: 'scheduled', status: 'scheduled,publishing', order: 'due_desc', limit: 1000 }),
    listPosts(orgId, { status: 'failed,partially_published', order: 'due_desc', limit: 200 }),
    listPosts(orgId, { status: 'published', order: 'due_desc', limit: 20 }),
  ]);
  return {
    drafts: [...rejected, ...drafts].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    pending,
    scheduled: [...scheduled].reverse(),
    problems,
    published,
    all: [...drafts, ...rejected, ...pending, ...scheduled, ...problems],
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
