import { z } from 'zod';
import { Network, PostMetrics, StreamKind } from './channels.js';
import { NextCursor } from './pagination.js';

/** A column reads one of its account's streams, or (saved_search) the stored items. */
export const COLUMN_KINDS = [...StreamKind.options, 'saved_search'] as const;
export const ColumnKind = z.enum(COLUMN_KINDS);
export type ColumnKind = z.infer<typeof ColumnKind>;
export const COLUMN_WIDTHS = ['narrow', 'normal', 'wide'] as const;
export const ColumnWidth = z.enum(COLUMN_WIDTHS);
export type ColumnWidth = z.infer<typeof ColumnWidth>;

export const ColumnFilters = z.object({
  language: z.string().optional(),
  hasLink: z.boolean().optional(),
  fromContactsOnly: z.boolean().optional(),
  excludeKeywords: z.array(z.string()).optional(),
});
export type ColumnFilters = z.infer<typeof ColumnFilters>;

export const ColumnView = z.object({
  id: z.string(),
  boardId: z.string(),
  title: z.string(),
  channelAccountId: z.string().nullable(),
  kind: ColumnKind,
  target: z.string().nullable(),
  width: ColumnWidth,
  position: z.number(),
  filters: ColumnFilters,
  unread: z.number(),
});
export type ColumnView = z.infer<typeof ColumnView>;

export const BoardView = z.object({
  id: z.string(),
  name: z.string(),
  shared: z.boolean(),
  ownerUserId: z.string(),
  position: z.number(),
  columns: z.array(ColumnView),
});
export type BoardView = z.infer<typeof BoardView>;

/** An account an item mentions: the network's id for it (Bluesky DID, Mastodon account id) when given. */
export const ItemMention = z.object({ remoteId: z.string().nullable(), handle: z.string(), profileUrl: z.string().nullable() });

/** Whether the account an item is shown as (channelAccountId) liked and reposted it through Chorus. */
export const ItemViewer = z.object({ liked: z.boolean(), reposted: z.boolean() });
export type ItemViewer = z.infer<typeof ItemViewer>;

/** What the API shows of a stored item; `html` was sanitized at ingest and is safe to render. */
export const ItemView = z.object({
  id: z.string(),
  network: Network,
  remoteId: z.string(),
  url: z.string().nullable(),
  author: z.object({ handle: z.string(), displayName: z.string(), avatarUrl: z.string().nullable(), profileUrl: z.string().nullable() }),
  /** A feed entry's headline; posts have none. */
  title: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  links: z.array(z.string()),
  media: z.array(z.object({ url: z.string(), alt: z.string() })),
  replyToRemoteId: z.string().nullable(),
  quoteOfRemoteId: z.string().nullable(),
  createdAt: z.string(),
  /** Present (true) only when the source gave no exact time: createdAt is then a guess, at worst when Chorus fetched it. */
  createdAtApproximate: z.literal(true).optional(),
  language: z.string().nullable(),
  /** Accounts the item mentions, as the network tagged them. */
  mentions: z.array(ItemMention),
  /** Hashtags, without '#'. */
  tags: z.array(z.string()),
  /** Title of the attached link card. */
  cardTitle: z.string().nullable(),
  /** A direct (private) message rather than a public post. */
  isDirect: z.boolean(),
  metrics: PostMetrics.nullable(),
  channelAccountId: z.string().nullable(),
  read: z.boolean(),
  done: z.boolean(),
  assignedToUserId: z.string().nullable(),
  viewer: ItemViewer,
});
export type ItemView = z.infer<typeof ItemView>;

/** Image URL → signature, for the image proxy: an image without one is not shown. */
export const ImageSignatures = z.record(z.string(), z.string());
export type ImageSignatures = z.infer<typeof ImageSignatures>;

/** A page of items, newest first (columns, search, a contact's timeline). */
export const ItemPage = z.object({ items: z.array(ItemView), nextCursor: NextCursor, imageSignatures: ImageSignatures });
export type ItemPage = z.infer<typeof ItemPage>;

export const BoardsAnswer = z.object({ boards: z.array(BoardView) });
export type BoardsAnswer = z.infer<typeof BoardsAnswer>;
export const BoardAnswer = z.object({ board: BoardView });
export type BoardAnswer = z.infer<typeof BoardAnswer>;
export const ColumnAnswer = z.object({ column: ColumnView });
export type ColumnAnswer = z.infer<typeof ColumnAnswer>;
export const UnreadAnswer = z.object({ unread: z.number() });
export type UnreadAnswer = z.infer<typeof UnreadAnswer>;
/** The item as it now is, its images' signatures beside it as on pages. */
export const ItemStateAnswer = z.object({ item: ItemView, imageSignatures: ImageSignatures });
export type ItemStateAnswer = z.infer<typeof ItemStateAnswer>;
/** The acting account's state after a like, repost or undo. */
export const ItemActionAnswer = z.object({ ok: z.literal(true), viewer: ItemViewer });
export type ItemActionAnswer = z.infer<typeof ItemActionAnswer>;
export const RetentionAnswer = z.object({ retentionDays: z.number() });
export type RetentionAnswer = z.infer<typeof RetentionAnswer>;

/** Server-sent events of GET …/stream-events (`event: item | unread | metrics`, JSON data). */
export const ItemEvent = z.object({ columnIds: z.array(z.string()), item: ItemView, imageSignatures: ImageSignatures });
export type ItemEvent = z.infer<typeof ItemEvent>;
export const UnreadEvent = z.object({ columnId: z.string(), unread: z.number() });
export type UnreadEvent = z.infer<typeof UnreadEvent>;
/** New counts of stored items, wherever they are shown. */
export const MetricsEvent = z.object({ items: z.array(z.object({ id: z.string(), metrics: PostMetrics })) });
export type MetricsEvent = z.infer<typeof MetricsEvent>;
/** Items liked or reposted (or taken back) since: pages holding them are read again, since "liked" depends on the column's account. */
export const ReactionsEvent = z.object({ itemIds: z.array(z.string()) });
export type ReactionsEvent = z.infer<typeof ReactionsEvent>;
/** The event stream itself: text/event-stream. */
export const StreamEventsBody = z
  .string()
  .describe('text/event-stream of item (ItemEvent), unread (UnreadEvent), metrics (MetricsEvent) and reactions (ReactionsEvent) events, with heartbeats');
export type StreamEventsBody = z.infer<typeof StreamEventsBody>;
