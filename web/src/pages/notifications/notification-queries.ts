import { useQuery, useQueryClient } from '@tanstack/react-query';
import { listNotifications } from '../../api/notifications.js';

export const notificationsKey = (orgId: string) => ['org', orgId, 'notifications'] as const;
export const webhooksKey = (orgId: string) => ['org', orgId, 'webhooks'] as const;

// Until notifications arrive over SSE, the header asks twice a minute.
const POLL_MS = 30_000;

/** The signed-in member's notifications in this org and how many are unread; a failed poll stays quiet. */
export const useNotifications = (orgId: string) =>
  useQuery({ queryKey: notificationsKey(orgId), queryFn: () => listNotifications(orgId), refetchInterval: POLL_MS, staleTime: 0, meta: { quiet: true } });

export function useRefreshNotifications(orgId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: notificationsKey(orgId) });
}
