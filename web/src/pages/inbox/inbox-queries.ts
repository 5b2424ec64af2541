import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { getConversation, getInboxSettings, listConversations, listInboxViews, type ConversationListFilters, type ConversationPage } from '../../api/inbox.js';

// Everything about the inbox under one prefix: a live "conversations changed" refreshes it all.
export const inboxKey = (orgId: string) => ['org', orgId, 'inbox'] as const;
const listKey = (orgId: string, filters: ConversationListFilters) => [...inboxKey(orgId), 'list', filters] as const;
const conversationKey = (orgId: string, conversationId: string) => [...inboxKey(orgId), 'one', conversationId] as const;

const PAGE = 50;

export const useConversations = (orgId: string, filters: ConversationListFilters) =>
  useInfiniteQuery({
    queryKey: listKey(orgId, filters),
    queryFn: ({ pageParam }) => listConversations(orgId, filters, { before: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: ConversationPage) => last.nextCursor,
    meta: { quiet: true },
  });

export const useConversation = (orgId: string, conversationId: string | null) =>
  useQuery({
    queryKey: conversationKey(orgId, conversationId ?? ''),
    queryFn: () => getConversation(orgId, conversationId!),
    enabled: conversationId !== null,
    meta: { quiet: true },
  });

export const useInboxSettings = (orgId: string) =>
  useQuery({ queryKey: [...inboxKey(orgId), 'settings'], queryFn: () => getInboxSettings(orgId), meta: { quiet: true } });

export const useInboxViews = (orgId: string) =>
  useQuery({ queryKey: [...inboxKey(orgId), 'views'], queryFn: () => listInboxViews(orgId), meta: { quiet: true } });

export function useRefreshInbox(orgId: string): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: inboxKey(orgId) });
}
