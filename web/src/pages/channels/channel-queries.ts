import { useQuery } from '@tanstack/react-query';
import { listChannels } from '../../api/channels.js';

export const channelsKey = (orgId: string) => ['org', orgId, 'channels'] as const;

/** Connected accounts and the networks this server can connect; shared by Settings, Publish and Calendar. */
export const useChannels = (orgId: string) => useQuery({ queryKey: channelsKey(orgId), queryFn: () => listChannels(orgId) });
