import { queryOptions, useQuery } from '@tanstack/react-query';
import { listChannels } from '../../api/channels.js';

export const channelsKey = (orgId: string) => ['org', orgId, 'channels'] as const;

export const channelsQuery = (orgId: string) => queryOptions({ queryKey: channelsKey(orgId), queryFn: () => listChannels(orgId) });

/** Connected accounts and the networks this server can connect; shared by Settings, Publish, Calendar and Streams. */
export const useChannels = (orgId: string) => useQuery(channelsQuery(orgId));
