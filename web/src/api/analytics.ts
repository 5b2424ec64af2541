import type { AnalyticsSettingsView, BestTimes, CampaignRow, ChannelRow, LinkList, LinkView, Overview, PostRow } from '@core/api/analytics.js';
import { request, segment } from './client.js';

/** The analytics API (docs/analytics.md); shapes from core/api/analytics.ts. */
export type { AnalyticsSettingsView, BestTimes, CampaignRow, ChannelRow, LinkList, LinkView, Overview, PostRow };
export type PostSort = 'engagement' | 'likes' | 'reposts' | 'replies' | 'humanClicks' | 'publishedAt';

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;
const range = (from: string, to: string) => new URLSearchParams({ from, to }).toString();

export const getOverview = (orgId: string, from: string, to: string) =>
  request<{ overview: Overview }>('GET', `${org(orgId)}/analytics/overview?${range(from, to)}`).then((r) => r.overview);
export const getChannelReport = (orgId: string, from: string, to: string) =>
  request<{ channels: ChannelRow[] }>('GET', `${org(orgId)}/analytics/channels?${range(from, to)}`).then((r) => r.channels);
export const getPostReport = (orgId: string, from: string, to: string, sort: PostSort) =>
  request<{ posts: PostRow[] }>('GET', `${org(orgId)}/analytics/posts?${range(from, to)}&sort=${sort}`).then((r) => r.posts);
export const getCampaignReport = (orgId: string, from: string, to: string) =>
  request<{ campaigns: CampaignRow[] }>('GET', `${org(orgId)}/analytics/campaigns?${range(from, to)}`).then((r) => r.campaigns);
export const getBestTimes = (orgId: string, channelAccountId: string) =>
  request<{ bestTimes: BestTimes }>('GET', `${org(orgId)}/analytics/best-times?channelAccountId=${segment(channelAccountId)}`).then((r) => r.bestTimes);
export const listLinks = (orgId: string) => request<LinkList>('GET', `${org(orgId)}/links?limit=100`);
export const createLink = (orgId: string, body: { url: string; campaign?: string }, idempotencyKey: string) =>
  request<{ link: LinkView }>('POST', `${org(orgId)}/links`, body, { idempotencyKey }).then((r) => r.link);
export const getAnalyticsSettings = (orgId: string) =>
  request<{ settings: AnalyticsSettingsView }>('GET', `${org(orgId)}/analytics/settings`).then((r) => r.settings);
/** Whether new posts' links are shortened by default, and where the short URLs made at publish start (null: the server shortens nothing). */
export const getLinkShortening = (orgId: string) =>
  request<{ settings: AnalyticsSettingsView; shortLinkPrefix: string | null }>('GET', `${org(orgId)}/analytics/settings`).then((r) => ({
    byDefault: r.settings.shortenLinks,
    prefix: r.shortLinkPrefix,
  }));
export const saveAnalyticsSettings = (orgId: string, change: Partial<AnalyticsSettingsView>) =>
  request<{ settings: AnalyticsSettingsView }>('PATCH', `${org(orgId)}/analytics/settings`, change).then((r) => r.settings);

export type CsvReport = 'overview' | 'channels' | 'posts' | 'campaigns' | 'links' | 'best-times';

/** The server's CSV of a report: the same numbers the page shows (a plain link, the cookie goes with it). */
export function analyticsCsvUrl(orgId: string, report: CsvReport, params: Record<string, string>): string {
  return `${org(orgId)}/analytics/csv/${report}?${new URLSearchParams(params)}`;
}
