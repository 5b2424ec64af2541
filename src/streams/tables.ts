import type { Generated, Selectable } from 'kysely';
import type { Network, StreamKind } from '../channels/connector.js';

/** A stream column kind: every connector stream, plus a saved search over stored items. */
export type ColumnKind = StreamKind | 'saved_search';
export type ColumnWidth = 'narrow' | 'normal' | 'wide';

/** One post or feed entry, stored once per org whichever streams and accounts saw it. */
export interface StreamItemsTable {
  seq: Generated<number>;
  id: string;
  org_id: string;
  network: Network;
  remote_id: string;
  /**
   * Where remote_id is unique: '' for the whole network (one item however many accounts see a
   * post); a feed entry's feed address, since a guid is unique within its feed only. Unique with
   * (org, network, remote_id).
   */
  id_scope: string;
  /** The account that first fetched it: actions (like, repost) default to it. */
  channel_account_id: string | null;
  url: string | null;
  author_handle: string;
  author_display_name: string;
  author_avatar_url: string | null;
  author_profile_url: string | null;
  /** core/networks authorKey(): what a CRM contact's identity matches this item's author by. */
  author_key: string;
  title: string | null;
  text: string;
  /** Sanitized again at ingest, whatever the connector did. */
  html: string | null;
  /** Title, text and author in one lowercased string: what full-text search indexes. */
  search_text: string;
  links: string;
  media: string;
  reply_to_remote_id: string | null;
  quote_of_remote_id: string | null;
  created_at: string;
  /** 1 when the source gave no exact time (unreadable date, no zone): created_at is a guess, at worst the fetch time. */
  created_at_approximate: number;
  language: string | null;
  metrics: string | null;
  fetched_at: string;
  /**
   * The item as the API shows it, minus id, metrics and reading state: JSON rendered once at
   * ingest, so a column page is a concatenation (see views.ts). '' only in rows imported from
   * an archive older than this column, until the import fills it.
   */
  view: string;
  /** JSON array of ItemMention: the accounts the item mentions, as the network tagged them. */
  mentions: string;
  /** JSON array of hashtags (without '#'), as the network tagged them. */
  tags: string;
  /** Title of the link card the network attached. */
  card_title: string | null;
  /** 1 for a direct (private) message, e.g. a Mastodon status with visibility direct. */
  is_direct: number;
  /** JSON array of the image URLs the browser loads for the item (avatar, media, <img>): signed for the image proxy per page. */
  image_urls: string;
}

/** Membership of an item in a column, with the column's reading state. */
export interface ColumnItemsTable {
  org_id: string;
  column_id: string;
  item_id: string;
  /** The item's created_at, copied so a column page is one index range. */
  created_at: string;
  read: number;
  done: number;
}

export interface ItemStatesTable {
  org_id: string;
  item_id: string;
  assigned_to_user_id: string | null;
  updated_at: string;
}

export interface BoardsTable {
  id: string;
  org_id: string;
  owner_user_id: string;
  name: string;
  shared: number;
  position: number;
  created_at: string;
}

export interface StreamColumnsTable {
  id: string;
  org_id: string;
  board_id: string;
  title: string;
  channel_account_id: string | null;
  kind: ColumnKind;
  target: string | null;
  width: ColumnWidth;
  position: number;
  /** JSON of ColumnFilters. */
  filters: string;
  created_at: string;
}

export type ColumnRow = Selectable<StreamColumnsTable>;

/** One poll job per channel × kind × target: columns reading the same stream share it. */
export interface IngestJobsTable {
  id: string;
  org_id: string;
  channel_account_id: string;
  network: Network;
  kind: StreamKind;
  /** '' when the stream has no target, so the unique key works on both dialects. */
  target: string;
  next_poll_at: string;
  interval_ms: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** Opaque StreamPage.pollState (feeds: ETag / Last-Modified). */
  poll_state: string | null;
  /** remoteId of the newest item seen, to stop paging once we reach known items. */
  newest_remote_id: string | null;
  budget_window_start: string;
  budget_used: number;
  last_polled_at: string | null;
  last_error: string | null;
  failures: number;
  /** Set by open dashboards (watched-jobs.ts): until then the job polls at its policy's minimum interval. */
  watched_until: string | null;
}

export interface StreamSettingsTable {
  org_id: string;
  retention_days: number;
}

/**
 * A like or repost of an item by an org account, made through Chorus or read from the network
 * (its own app): one per (item, account, kind). The row holds since `created_at`; once taken
 * back it stays with `undone_at`, so each state knows when it was set (see network-reactions.ts).
 */
export interface ItemReactionsTable {
  org_id: string;
  item_id: string;
  channel_account_id: string;
  kind: 'like' | 'repost';
  /** The network's record of it (Connector Reaction.recordId): what undo deletes. */
  record_id: string | null;
  created_at: string;
  /** When it was taken back (through Chorus, or a poll found it gone); null while it holds. */
  undone_at: string | null;
}

/**
 * Where a push reader stopped in a repository event stream, per stream URL, so a restart resumes
 * there. Not org data (no org_id, so not in the org export): it is this installation's place in a
 * public stream every org shares, meaningless to another installation, which starts from now and
 * catches up by polling.
 */
export interface PushCursorsTable {
  url: string;
  /** The last event read: subscribeRepos `seq` or Jetstream `time_us`, as decimal text (time_us passes 2^31). */
  cursor: string;
  updated_at: string;
}

export interface StreamsTables {
  stream_items: StreamItemsTable;
  column_items: ColumnItemsTable;
  item_states: ItemStatesTable;
  item_reactions: ItemReactionsTable;
  boards: BoardsTable;
  stream_columns: StreamColumnsTable;
  ingest_jobs: IngestJobsTable;
  stream_settings: StreamSettingsTable;
  push_cursors: PushCursorsTable;
}
