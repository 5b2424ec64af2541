/** Short links, their clicks, pulled metrics and the org's analytics settings. */

export interface ShortLinksTable {
  id: string;
  org_id: string;
  /** 64 random bits, base64url: unguessable; unique on the whole instance. */
  code: string;
  url: string;
  /** `url` with the UTM parameters, fixed when the link is made. */
  target_url: string;
  post_id: string | null;
  network: string | null;
  campaign: string | null;
  /** Set when the link went to one person (a reply): its clicks count for that contact. */
  contact_id: string | null;
  created_by_user_id: string | null;
  created_at: string;
  /** Set for links made when a post target was published: one code per (target, url), reused by a retry. */
  post_target_id: string | null;
}

/** One click on a short link; the visitor's IP address is never stored. */
export interface LinkClicksTable {
  /** Made when the click arrives, so a batch written twice (a retried flush) stores it once. */
  id: string;
  org_id: string;
  link_id: string;
  post_id: string | null;
  network: string | null;
  campaign: string | null;
  contact_id: string | null;
  clicked_at: string;
  referrer_host: string | null;
  device: string;
  /** 1 when the user agent is a known crawler (isbot). */
  bot: number;
}

/** The latest metrics of one published target, and when to pull them next (null: no more). */
export interface TargetMetricsTable {
  target_id: string;
  org_id: string;
  post_id: string;
  channel_account_id: string;
  network: string;
  remote_id: string;
  remote_cid: string | null;
  published_at: string;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  views: number | null;
  pulled_at: string | null;
  next_pull_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
}

/** One follower count per account per day (the org's time zone). */
export interface FollowerSnapshotsTable {
  org_id: string;
  channel_account_id: string;
  day: string;
  followers: number;
  following: number | null;
  posts: number | null;
  taken_at: string;
}

export interface AnalyticsSettingsTable {
  org_id: string;
  shorten_links: number;
  utm_enabled: number;
  time_zone: string;
  updated_at: string;
}

export interface AnalyticsTables {
  short_links: ShortLinksTable;
  link_clicks: LinkClicksTable;
  target_metrics: TargetMetricsTable;
  follower_snapshots: FollowerSnapshotsTable;
  analytics_settings: AnalyticsSettingsTable;
}
