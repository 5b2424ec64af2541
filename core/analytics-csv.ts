import type { BestTimes, CampaignRow, ChannelRow, LinkWithClicks, Overview, PostRow } from './api/analytics.js';
import { spreadsheetCsv } from './spreadsheet-csv.js';

/**
 * Each report as CSV, one function per report, shared by the server (`…/analytics/<report>.csv`)
 * and the web app's chart downloads, so a file always has the numbers the API answered.
 */
const cell = (value: string | number | null | undefined): string => (value === null || value === undefined ? '' : String(value));

export function overviewCsv(o: Overview): string {
  const measures: [string, { current: number | null; previous: number | null }][] = [
    ['posts_published', o.postsPublished],
    ['engagement', o.engagement],
    ['engagement_rate', o.engagementRate],
    ['human_clicks', o.humanClicks],
    ['bot_clicks', o.botClicks],
    ['follower_growth', o.followerGrowth],
    ['mentions', o.mentions],
    ['new_contacts', o.newContacts],
  ];
  return spreadsheetCsv([
    ['measure', `${o.range.from}..${o.range.to}`, `${o.range.previousFrom}..${o.range.previousTo}`],
    ...measures.map(([name, m]) => [name, cell(m.current), cell(m.previous)]),
    ...(['positive', 'neutral', 'negative', 'unknown'] as const).map((label) => [`sentiment_${label}`, cell(o.sentiment[label]), '']),
  ]);
}

export function dailyCsv(o: Overview): string {
  return spreadsheetCsv([
    ['day', 'posts', 'engagement', 'human_clicks', 'bot_clicks', 'mentions', 'followers'],
    ...o.daily.map((d) => [d.day, cell(d.posts), cell(d.engagement), cell(d.humanClicks), cell(d.botClicks), cell(d.mentions), cell(d.followers)]),
  ]);
}

export function channelsCsv(rows: ChannelRow[]): string {
  return spreadsheetCsv([
    [
      'channel_account_id',
      'network',
      'name',
      'posts',
      'likes',
      'reposts',
      'replies',
      'quotes',
      'views',
      'engagement',
      'human_clicks',
      'bot_clicks',
      'followers',
      'follower_growth',
      'mentions',
      'replies_sent',
    ],
    ...rows.map((r) =>
      [
        r.channelAccountId,
        r.network,
        r.name,
        r.posts,
        r.likes,
        r.reposts,
        r.replies,
        r.quotes,
        r.views,
        r.engagement,
        r.humanClicks,
        r.botClicks,
        r.followers,
        r.followerGrowth,
        r.mentions,
        r.repliesSent,
      ].map(cell),
    ),
  ]);
}

export function postsCsv(rows: PostRow[]): string {
  return spreadsheetCsv([
    ['post_id', 'published_at', 'networks', 'campaign', 'likes', 'reposts', 'replies', 'quotes', 'views', 'engagement', 'human_clicks', 'bot_clicks', 'text'],
    ...rows.map((r) =>
      [
        r.postId,
        r.publishedAt,
        r.networks.join(' '),
        r.campaign,
        r.likes,
        r.reposts,
        r.replies,
        r.quotes,
        r.views,
        r.engagement,
        r.humanClicks,
        r.botClicks,
        r.text,
      ].map(cell),
    ),
  ]);
}

export function campaignsCsv(rows: CampaignRow[]): string {
  return spreadsheetCsv([
    ['campaign', 'posts', 'engagement', 'human_clicks', 'bot_clicks', 'links'],
    ...rows.map((r) => [r.campaign, r.posts, r.engagement, r.humanClicks, r.botClicks, r.links].map(cell)),
  ]);
}

export function linksCsv(rows: LinkWithClicks[]): string {
  return spreadsheetCsv([
    ['code', 'short_url', 'url', 'post_id', 'network', 'campaign', 'human_clicks', 'bot_clicks', 'created_at'],
    ...rows.map((r) => [r.code, r.shortUrl, r.url, r.postId, r.network, r.campaign, r.clicks.human, r.clicks.bot, r.createdAt].map(cell)),
  ]);
}

export function bestTimesCsv(b: BestTimes): string {
  return spreadsheetCsv([
    ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h))],
    ...b.cells.map((day, d) => [String(d + 1), ...day.map((v) => (v === null ? '' : v.toFixed(2)))]),
  ]);
}
