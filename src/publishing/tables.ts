import type { PostWorkflow, TargetState } from '../../core/api/publishing.js';

/**
 * A post is what the author wrote once; a target is that post on one connected account.
 * Each target has its own state, so a partial success is visible as such and a retry touches
 * only the targets that failed.
 */
export { POST_WORKFLOWS, TARGET_STATES, type PostWorkflow, type TargetState } from '../../core/api/publishing.js';

export interface PostsTable {
  id: string;
  org_id: string;
  author_user_id: string;
  workflow: PostWorkflow;
  /** The text shared by every target unless a target overrides it. */
  text: string;
  /** JSON object: network → override text. */
  overrides: string;
  /** The wall-clock time the author picked, in their zone (e.g. 2027-03-29T09:00), or null for "now". */
  scheduled_local: string | null;
  time_zone: string;
  /** UTC instant computed from scheduled_local + time_zone. */
  due_at: string | null;
  campaign: string | null;
  /** 1 / 0: shorten this post's links at publish (the composer's toggle); null: the org's default. */
  shorten_links?: number | null;
  /** JSON PostRef plus root, when this post answers another one (from a stream's Reply). */
  reply_to: string | null;
  /** Posts created together as a repeating series share this id (null for a one-off post). */
  series_id: string | null;
  /** JSON PostRef of the quoted post. */
  quote_of: string | null;
  review_comment: string | null;
  reviewed_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PostTargetsTable {
  id: string;
  org_id: string;
  post_id: string;
  channel_account_id: string;
  network: string;
  state: TargetState;
  /** The exact text sent, fixed when the post is scheduled. */
  body: string;
  /** Sent to the network with every attempt, so a retry after a crash cannot duplicate. */
  idempotency_key: string;
  due_at: string | null;
  next_attempt_at: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  remote_id: string | null;
  remote_cid: string | null;
  remote_url: string | null;
  failure_kind: string | null;
  failure_reason: string | null;
  published_at: string | null;
  updated_at: string;
}

export interface PostingSlotsTable {
  id: string;
  org_id: string;
  channel_account_id: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** HH:mm in the slot's time zone. */
  time: string;
  time_zone: string;
}

/** An uploaded image: free until a post takes it (post_id), then sent with that post. */
export interface PostMediaTable {
  id: string;
  org_id: string;
  post_id: string | null;
  /** Order among the post's images. */
  position: number;
  mime_type: string;
  /** Decoded size. */
  bytes: number;
  /** The image as base64 text: portable across SQLite and PostgreSQL. */
  data: string;
  alt: string;
  created_at: string;
}

export interface PublishingTables {
  post_media: PostMediaTable;
  posts: PostsTable;
  post_targets: PostTargetsTable;
  posting_slots: PostingSlotsTable;
}
