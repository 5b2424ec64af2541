import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { listGroups, listTeamPosts } from '../../api/team-feed.js';

/** Until streams bring server-sent events, the feed asks again every 10 s. */
export const POLL_MS = 10_000;

export const teamFeedKey = (orgId: string) => ['org', orgId, 'team-feed'] as const;
const groupsKey = (orgId: string) => [...teamFeedKey(orgId), 'groups'] as const;

export interface FeedFilter {
  groupId: string | null;
  mentioningMe: boolean;
}

export const useTeamPosts = (orgId: string, filter: FeedFilter) =>
  useInfiniteQuery({
    queryKey: [...teamFeedKey(orgId), 'posts', filter],
    queryFn: ({ pageParam }) =>
      listTeamPosts(orgId, { groupId: filter.groupId ?? undefined, mentioningMe: filter.mentioningMe, before: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: POLL_MS,
  });

export const useTeamGroups = (orgId: string) => useQuery({ queryKey: groupsKey(orgId), queryFn: () => listGroups(orgId), refetchInterval: POLL_MS * 3 });

export function useRefreshTeamFeed(orgId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: teamFeedKey(orgId) });
}
