import type { BestTimes, CampaignRow, ChannelRow, DailyPoint, Overview, PostRow, SentimentSplit } from '../../core/api/analytics.js';
import { DateTime } from 'luxon';
import { livePostUrl } from '../../core/networks/index.js';
import type { PublishingChannel } from '../channels/channel-directory.js';
import { contactsCreatedBetween } from '../crm/contact-counts.js';
import { publishedTargetsBetween, type PublishedTarget } from '../publishing/published-targets.js';
import { mentionItemsBetween, type MentionItem } from '../streams/mention-items.js';
import type { OrgScope } from '../teams/org-scope.js';
import { dayIn, daysOf, reportRange, type ReportRange } from './report-range.js';
import { rateSentiment } from './sentiment.js';
import { analyticsSettings } from './settings.js';

interface Engagement {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  views: number | null;
}

interface Click {
  bot: number;
  clicked_at: string;
  post_id: string | null;
  network: string | null;
  campaign: string | null;
}

/** Everything one period's numbers are made of. */
interface Period {
  targets: PublishedTarget[];
  metrics: Map<string, Engagement>;
  clicks: Click[];
  mentions: MentionItem[];
}

const NO_ENGAGEMENT: Engagement = { likes: 0, reposts: 0, replies: 0, quotes: 0, views: null };
const engagementOf = (m: Engagement): number => m.likes + m.reposts + m.replies + m.quotes;
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const sumViews = (values: (number | null)[]): number | null => (values.some((v) => v !== null) ? sum(values.map((v) => v ?? 0)) : null);

async function loadPeriod(scope: OrgScope, startIso: string, endIso: string): Promise<Period> {
  const targets = (await publishedTargetsBetween(scope, startIso, endIso)).filter((t) => !t.isReply);
  const metricRows = targets.length
    ? await scope
        .selectFrom('target_metrics')
        .select(['target_id', 'likes', 'reposts', 'replies', 'quotes', 'views'])
        .where('published_at', '>=', startIso)
        .where('published_at', '<', endIso)
        .execute()
    : [];
  const clicks = await scope
    .selectFrom('link_clicks')
    .select(['bot', 'clicked_at', 'post_id', 'network', 'campaign'])
    .where('clicked_at', '>=', startIso)
    .where('clicked_at', '<', endIso)
    .execute();
  return {
    targets,
    metrics: new Map(metricRows.map((r) => [r.target_id, r])),
    clicks,
    mentions: await mentionItemsBetween(scope, startIso, endIso),
  };
}

async function repliesSentBetween(scope: OrgScope, startIso: string, endIso: string): Promise<PublishedTarget[]> {
  return (await publishedTargetsBetween(scope, startIso, endIso)).filter((t) => t.isReply);
}

/** Follower count per account: the last snapshot on or before `day`. */
async function followersOn(scope: OrgScope, day: string): Promise<Map<string, number>> {
  const rows = await scope.selectFrom('follower_snapshots').select(['channel_account_id', 'day', 'followers']).where('day', '<=', day).orderBy('day').execute();
  return new Map(rows.map((r) => [r.channel_account_id, r.followers]));
}

/**
 * Follower change over [from, to] per account: the last count by `to` minus the last before `from`
 * (or the first within). Snapshots are taken per UTC day while ranges are days in the org's zone, so
 * an account whose latest snapshot falls just before `from` counts as unchanged (0), not unknown.
 */
async function followerGrowth(scope: OrgScope, from: string, to: string): Promise<Map<string, number>> {
  const rows = await scope.selectFrom('follower_snapshots').select(['channel_account_id', 'day', 'followers']).where('day', '<=', to).orderBy('day').execute();
  const baseline = new Map<string, number>();
  const last = new Map<string, number>();
  for (const row of rows) {
    if (row.day < from || !baseline.has(row.channel_account_id)) baseline.set(row.channel_account_id, row.followers);
    last.set(row.channel_account_id, row.followers);
  }
  return new Map([...last].map(([id, followers]) => [id, followers - (baseline.get(id) ?? followers)]));
}

function sentimentSplit(mentions: MentionItem[]): { split: SentimentSplit; methods: Overview['sentimentMethods'] } {
  const split: SentimentSplit = { positive: 0, neutral: 0, negative: 0, unknown: 0 };
  const methods = new Map<'afinn-165' | 'none', number>();
  for (const mention of mentions) {
    const rated = rateSentiment(mention.text, mention.language);
    split[rated.label]++;
    methods.set(rated.method, (methods.get(rated.method) ?? 0) + 1);
  }
  return { split, methods: [...methods].map(([method, count]) => ({ method, count })) };
}

function totals(period: Period) {
  const engagement = sum(period.targets.map((t) => engagementOf(period.metrics.get(t.targetId) ?? NO_ENGAGEMENT)));
  return {
    posts: new Set(period.targets.map((t) => t.postId)).size,
    engagement,
    human: period.clicks.filter((c) => !c.bot).length,
    bot: period.clicks.filter((c) => c.bot).length,
    mentions: period.mentions.length,
  };
}

const rate = (engagement: number, followers: Map<string, number>): number | null => {
  const total = sum([...followers.values()]);
  return total > 0 ? engagement / total : null;
};

/** The overview of a date range against the same-length range before it. */
export async function overview(scope: OrgScope, from: string, to: string): Promise<Overview> {
  const { timeZone } = await analyticsSettings(scope);
  const range = reportRange(from, to, timeZone);
  const [current, previous] = await Promise.all([loadPeriod(scope, range.startIso, range.endIso), loadPeriod(scope, range.previousStartIso, range.startIso)]);
  const now = totals(current);
  const before = totals(previous);
  const [followersNow, followersBefore, growthNow, growthBefore] = await Promise.all([
    followersOn(scope, range.to),
    followersOn(scope, range.previousTo),
    followerGrowth(scope, range.from, range.to),
    followerGrowth(scope, range.previousFrom, range.previousTo),
  ]);
  const growth = (m: Map<string, number>) => (m.size ? sum([...m.values()]) : null);
  const sentiment = sentimentSplit(current.mentions);
  return {
    range: { from: range.from, to: range.to, previousFrom: range.previousFrom, previousTo: range.previousTo, timeZone },
    postsPublished: { current: now.posts, previous: before.posts },
    engagement: { current: now.engagement, previous: before.engagement },
    engagementRate: { current: rate(now.engagement, followersNow), previous: rate(before.engagement, followersBefore) },
    humanClicks: { current: now.human, previous: before.human },
    botClicks: { current: now.bot, previous: before.bot },
    followerGrowth: { current: growth(growthNow), previous: growth(growthBefore) },
    mentions: { current: now.mentions, previous: before.mentions },
    newContacts: {
      current: await contactsCreatedBetween(scope, range.startIso, range.endIso),
      previous: await contactsCreatedBetween(scope, range.previousStartIso, range.startIso),
    },
    sentiment: sentiment.split,
    sentimentMethods: sentiment.methods,
    daily: await daily(scope, range, current),
  };
}

async function daily(scope: OrgScope, range: ReportRange, period: Period): Promise<DailyPoint[]> {
  const points = new Map(
    daysOf(range).map((day) => [day, { day, posts: 0, engagement: 0, humanClicks: 0, botClicks: 0, mentions: 0, followers: null as number | null }]),
  );
  const postsByDay = new Map<string, Set<string>>();
  for (const t of period.targets) {
    const day = dayIn(t.publishedAt, range.timeZone);
    const point = points.get(day);
    if (!point) continue;
    point.engagement += engagementOf(period.metrics.get(t.targetId) ?? NO_ENGAGEMENT);
    postsByDay.set(day, (postsByDay.get(day) ?? new Set()).add(t.postId));
  }
  for (const [day, posts] of postsByDay) points.get(day)!.posts = posts.size;
  for (const c of period.clicks) {
    const point = points.get(dayIn(c.clicked_at, range.timeZone));
    if (point) point[c.bot ? 'botClicks' : 'humanClicks']++;
  }
  for (const m of period.mentions) {
    const point = points.get(dayIn(m.createdAt, range.timeZone));
    if (point) point.mentions++;
  }
  const snapshots = await scope
    .selectFrom('follower_snapshots')
    .select(['day', 'followers'])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .execute();
  for (const s of snapshots) {
    const point = points.get(s.day);
    if (point) point.followers = (point.followers ?? 0) + s.followers;
  }
  return [...points.values()];
}

/** Clicks that count for a target: on links of its post, shared on its network (or on no network in particular). */
const clicksFor = (clicks: Click[], postId: string, network: string | null) =>
  clicks.filter((c) => c.post_id === postId && (network === null || c.network === null || c.network === network));

/** One row per connected account. */
export async function channelReport(scope: OrgScope, channels: PublishingChannel[], from: string, to: string): Promise<ChannelRow[]> {
  const { timeZone } = await analyticsSettings(scope);
  const range = reportRange(from, to, timeZone);
  const period = await loadPeriod(scope, range.startIso, range.endIso);
  const [followers, growth, replies] = await Promise.all([
    followersOn(scope, range.to),
    followerGrowth(scope, range.from, range.to),
    repliesSentBetween(scope, range.startIso, range.endIso),
  ]);
  return channels.map((channel) => {
    const targets = period.targets.filter((t) => t.channelAccountId === channel.id);
    const metrics = targets.map((t) => period.metrics.get(t.targetId) ?? NO_ENGAGEMENT);
    const clicks = targets.flatMap((t) => clicksFor(period.clicks, t.postId, t.network));
    return {
      channelAccountId: channel.id,
      network: channel.network,
      name: channel.displayName,
      posts: targets.length,
      likes: sum(metrics.map((m) => m.likes)),
      reposts: sum(metrics.map((m) => m.reposts)),
      replies: sum(metrics.map((m) => m.replies)),
      quotes: sum(metrics.map((m) => m.quotes)),
      views: sumViews(metrics.map((m) => m.views)),
      engagement: sum(metrics.map(engagementOf)),
      humanClicks: clicks.filter((c) => !c.bot).length,
      botClicks: clicks.filter((c) => c.bot).length,
      followers: followers.get(channel.id) ?? null,
      followerGrowth: growth.get(channel.id) ?? null,
      mentions: period.mentions.filter((m) => m.channelAccountId === channel.id).length,
      repliesSent: replies.filter((t) => t.channelAccountId === channel.id).length,
    };
  });
}

/** One row per post published in the range, all its targets together, sorted as asked (best first). */
export async function postReport(scope: OrgScope, query: { from: string; to: string; sort: keyof PostRow & string; limit: number }): Promise<PostRow[]> {
  const { timeZone } = await analyticsSettings(scope);
  const range = reportRange(query.from, query.to, timeZone);
  const period = await loadPeriod(scope, range.startIso, range.endIso);
  const byPost = new Map<string, PublishedTarget[]>();
  for (const t of period.targets) byPost.set(t.postId, [...(byPost.get(t.postId) ?? []), t]);
  const rows: PostRow[] = [...byPost.values()].map((targets) => {
    const first = targets[0]!;
    const metrics = targets.map((t) => period.metrics.get(t.targetId) ?? NO_ENGAGEMENT);
    const clicks = period.clicks.filter((c) => c.post_id === first.postId);
    return {
      postId: first.postId,
      text: first.text.slice(0, 280),
      campaign: first.campaign,
      publishedAt: first.publishedAt,
      networks: [...new Set(targets.map((t) => t.network))],
      likes: sum(metrics.map((m) => m.likes)),
      reposts: sum(metrics.map((m) => m.reposts)),
      replies: sum(metrics.map((m) => m.replies)),
      quotes: sum(metrics.map((m) => m.quotes)),
      views: sumViews(metrics.map((m) => m.views)),
      engagement: sum(metrics.map(engagementOf)),
      humanClicks: clicks.filter((c) => !c.bot).length,
      botClicks: clicks.filter((c) => c.bot).length,
      remoteUrls: targets.flatMap((t) => livePostUrl(t.remoteUrl) ?? []),
    };
  });
  const key = query.sort as 'engagement' | 'likes' | 'reposts' | 'replies' | 'humanClicks' | 'publishedAt';
  rows.sort((a, b) => (key === 'publishedAt' ? b.publishedAt.localeCompare(a.publishedAt) : b[key] - a[key] || b.publishedAt.localeCompare(a.publishedAt)));
  return rows.slice(0, query.limit);
}

/** One row per campaign name, from its posts and its links. */
export async function campaignReport(scope: OrgScope, from: string, to: string): Promise<CampaignRow[]> {
  const { timeZone } = await analyticsSettings(scope);
  const range = reportRange(from, to, timeZone);
  const period = await loadPeriod(scope, range.startIso, range.endIso);
  const links = await scope.selectFrom('short_links').select(['campaign']).where('campaign', 'is not', null).execute();
  const names = new Set<string>([
    ...period.targets.flatMap((t) => (t.campaign ? [t.campaign] : [])),
    ...period.clicks.flatMap((c) => (c.campaign ? [c.campaign] : [])),
  ]);
  return [...names]
    .sort((a, b) => a.localeCompare(b))
    .map((campaign) => {
      const targets = period.targets.filter((t) => t.campaign === campaign);
      const clicks = period.clicks.filter((c) => c.campaign === campaign);
      return {
        campaign,
        posts: new Set(targets.map((t) => t.postId)).size,
        engagement: sum(targets.map((t) => engagementOf(period.metrics.get(t.targetId) ?? NO_ENGAGEMENT))),
        humanClicks: clicks.filter((c) => !c.bot).length,
        botClicks: clicks.filter((c) => c.bot).length,
        links: links.filter((l) => l.campaign === campaign).length,
      };
    });
}

/**
 * Weekday × hour in the org's zone: the average engagement of the account's own posts published
 * in that hour, over everything measured. The three best hours with posts become the queue's
 * suggested slots.
 */
export async function bestTimes(scope: OrgScope, channelAccountId: string): Promise<BestTimes> {
  const { timeZone } = await analyticsSettings(scope);
  const rows = await scope
    .selectFrom('target_metrics')
    .select(['published_at', 'likes', 'reposts', 'replies', 'quotes'])
    .where('channel_account_id', '=', channelAccountId)
    .where('pulled_at', 'is not', null)
    .execute();
  const totalsByCell = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => ({ posts: 0, engagement: 0 })));
  for (const row of rows) {
    const at = DateTime.fromISO(row.published_at, { zone: 'utc' }).setZone(timeZone);
    const cell = totalsByCell[at.weekday - 1]![at.hour]!;
    cell.posts++;
    cell.engagement += row.likes + row.reposts + row.replies + row.quotes;
  }
  const cells = totalsByCell.map((day) => day.map((c) => (c.posts ? c.engagement / c.posts : null)));
  // Only hours whose posts drew any engagement: with none measured yet there is nothing to suggest.
  const suggested = totalsByCell
    .flatMap((day, d) =>
      day.map((cell, hour) => ({ weekday: d + 1, hour, averageEngagement: cell.posts ? cell.engagement / cell.posts : 0, posts: cell.posts })),
    )
    .filter((c) => c.averageEngagement > 0)
    .sort((a, b) => b.averageEngagement - a.averageEngagement || a.weekday - b.weekday || a.hour - b.hour)
    .slice(0, 3);
  return { channelAccountId, timeZone, cells, posts: rows.length, suggested };
}
