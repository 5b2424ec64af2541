import { useQuery } from '@tanstack/react-query';
import {
  getAnalyticsSettings,
  getBestTimes,
  getCampaignReport,
  getChannelReport,
  getOverview,
  getPostReport,
  listLinks,
  type PostSort,
} from '../../api/analytics.js';

export const analyticsKey = (orgId: string) => ['org', orgId, 'analytics'] as const;

export const useOverview = (orgId: string, from: string, to: string) =>
  useQuery({ queryKey: [...analyticsKey(orgId), 'overview', from, to], queryFn: () => getOverview(orgId, from, to) });
export const useChannelReport = (orgId: string, from: string, to: string) =>
  useQuery({ queryKey: [...analyticsKey(orgId), 'channels', from, to], queryFn: () => getChannelReport(orgId, from, to) });
export const usePostReport = (orgId: string, from: string, to: string, sort: PostSort) =>
  useQuery({ queryKey: [...analyticsKey(orgId), 'posts', from, to, sort], queryFn: () => getPostReport(orgId, from, to, sort) });
export const useCampaignReport = (orgId: string, from: string, to: string) =>
  useQuery({ queryKey: [...analyticsKey(orgId), 'campaigns', from, to], queryFn: () => getCampaignReport(orgId, from, to) });
export const useBestTimes = (orgId: string, channelAccountId: string | null) =>
  useQuery({
    queryKey: [...analyticsKey(orgId), 'best-times', channelAccountId],
    queryFn: () => getBestTimes(orgId, channelAccountId!),
    enabled: channelAccountId !== null,
  });
export const useLinks = (orgId: string) => useQuery({ queryKey: [...analyticsKey(orgId), 'links'], queryFn: () => listLinks(orgId) });
export const useAnalyticsSettings = (orgId: string) => useQuery({ queryKey: [...analyticsKey(orgId), 'settings'], queryFn: () => getAnalyticsSettings(orgId) });
