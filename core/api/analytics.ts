import { z } from 'zod';

/**
 * The analytics module's API answers (short links, reports, best times). Routes declare these as
 * `response`; the web app imports the types. Counts are whole numbers; rates are fractions (0.05 = 5 %).
 */

export const ClickCounts = z.object({ human: z.number().int(), bot: z.number().int() });
export type ClickCounts = z.infer<typeof ClickCounts>;

export const LinkView = z.object({
  id: z.string(),
  code: z.string(),
  shortUrl: z.string(),
  /** What the person typed. */
  url: z.string(),
  /** Where /s/<code> sends a visitor: `url` plus the UTM parameters when the org adds them. */
  targetUrl: z.string(),
  postId: z.string().nullable(),
  network: z.string().nullable(),
  campaign: z.string().nullable(),
  contactId: z.string().nullable(),
  createdAt: z.string(),
});
export type LinkView = z.infer<typeof LinkView>;

export const CreatedLink = z.object({ link: LinkView });
export const LinkWithClicks = LinkView.extend({ clicks: ClickCounts });
export type LinkWithClicks = z.infer<typeof LinkWithClicks>;
export const LinkList = z.object({ links: z.array(LinkWithClicks), nextCursor: z.string().nullable() });
export type LinkList = z.infer<typeof LinkList>;

export const ShortenedText = z.object({ text: z.string(), links: z.array(LinkView) });
export type ShortenedText = z.infer<typeof ShortenedText>;

export const AnalyticsSettingsView = z.object({
  /** Links in a new post are shortened unless the author says otherwise. */
  shortenLinks: z.boolean(),
  /** utm_source (network), utm_medium=social and utm_campaign (campaign) are added to short link targets. */
  utmEnabled: z.boolean(),
  /** IANA zone that reports and the best-time heat map use for days and hours. */
  timeZone: z.string(),
});
export type AnalyticsSettingsView = z.infer<typeof AnalyticsSettingsView>;
export const AnalyticsSettingsAnswer = z.object({
  settings: AnalyticsSettingsView,
  /** Where every link shortened at publish starts (`https://go.example.com/s/`, a code follows); null: this server shortens nothing at publish. */
  shortLinkPrefix: z.string().nullable(),
});

/** A measure in the asked range and in the same-length range just before it. */
export const Compared = z.object({ current: z.number().nullable(), previous: z.number().nullable() });
export type Compared = z.infer<typeof Compared>;

export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative', 'unknown'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];
/** Which method produced a label: AFINN-165 for English, none (unknown) for languages without a lexicon. */
export const SENTIMENT_METHODS = ['afinn-165', 'none'] as const;
export const SentimentSplit = z.object({ positive: z.number().int(), neutral: z.number().int(), negative: z.number().int(), unknown: z.number().int() });
export type SentimentSplit = z.infer<typeof SentimentSplit>;

export const DailyPoint = z.object({
  day: z.string(),
  posts: z.number().int(),
  engagement: z.number().int(),
  humanClicks: z.number().int(),
  botClicks: z.number().int(),
  mentions: z.number().int(),
  followers: z.number().int().nullable(),
});
export type DailyPoint = z.infer<typeof DailyPoint>;

export const Overview = z.object({
  range: z.object({ from: z.string(), to: z.string(), previousFrom: z.string(), previousTo: z.string(), timeZone: z.string() }),
  postsPublished: Compared,
  engagement: Compared,
  /** Engagement ÷ followers at the end of the range (null without follower snapshots). */
  engagementRate: Compared,
  humanClicks: Compared,
  botClicks: Compared,
  followerGrowth: Compared,
  mentions: Compared,
  newContacts: Compared,
  sentiment: SentimentSplit,
  sentimentMethods: z.array(z.object({ method: z.enum(SENTIMENT_METHODS), count: z.number().int() })),
  daily: z.array(DailyPoint),
});
export type Overview = z.infer<typeof Overview>;
export const OverviewAnswer = z.object({ overview: Overview });

export const ChannelRow = z.object({
  channelAccountId: z.string(),
  network: z.string(),
  name: z.string(),
  posts: z.number().int(),
  likes: z.number().int(),
  reposts: z.number().int(),
  replies: z.number().int(),
  quotes: z.number().int(),
  views: z.number().int().nullable(),
  engagement: z.number().int(),
  humanClicks: z.number().int(),
  botClicks: z.number().int(),
  followers: z.number().int().nullable(),
  followerGrowth: z.number().int().nullable(),
  mentions: z.number().int(),
  repliesSent: z.number().int(),
});
export type ChannelRow = z.infer<typeof ChannelRow>;
export const ChannelReport = z.object({ channels: z.array(ChannelRow) });

export const PostRow = z.object({
  postId: z.string(),
  text: z.string(),
  campaign: z.string().nullable(),
  publishedAt: z.string(),
  networks: z.array(z.string()),
  likes: z.number().int(),
  reposts: z.number().int(),
  replies: z.number().int(),
  quotes: z.number().int(),
  views: z.number().int().nullable(),
  engagement: z.number().int(),
  humanClicks: z.number().int(),
  botClicks: z.number().int(),
  remoteUrls: z.array(z.string()),
});
export type PostRow = z.infer<typeof PostRow>;
export const POST_SORTS = ['engagement', 'likes', 'reposts', 'replies', 'humanClicks', 'publishedAt'] as const;
export const PostReport = z.object({ posts: z.array(PostRow) });

export const CampaignRow = z.object({
  campaign: z.string(),
  posts: z.number().int(),
  engagement: z.number().int(),
  humanClicks: z.number().int(),
  botClicks: z.number().int(),
  links: z.number().int(),
});
export type CampaignRow = z.infer<typeof CampaignRow>;
export const CampaignReport = z.object({ campaigns: z.array(CampaignRow) });

/** One of the three best hours (org's zone) with the average engagement and the number of posts it comes from. */
export const SuggestedSlot = z.object({
  weekday: z.number().int().min(1).max(7),
  hour: z.number().int().min(0).max(23),
  averageEngagement: z.number(),
  posts: z.number().int().min(1),
});
export type SuggestedSlot = z.infer<typeof SuggestedSlot>;
export const BestTimes = z.object({
  channelAccountId: z.string(),
  timeZone: z.string(),
  /** cells[weekday - 1][hour]: average engagement of the account's posts published then (null: none). */
  cells: z.array(z.array(z.number().nullable())),
  posts: z.number().int(),
  suggested: z.array(SuggestedSlot),
});
export type BestTimes = z.infer<typeof BestTimes>;
export const BestTimesAnswer = z.object({ bestTimes: BestTimes });
