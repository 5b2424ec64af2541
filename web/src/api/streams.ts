import { request, segment } from './client.js';
import { proxyItemImages, type ImageSignatures } from './image-proxy.js';

/** Response shapes of src/streams/routes.ts (boards, columns, items, live events). */
export type StreamKind = 'home' | 'mentions' | 'notifications' | 'user_posts' | 'list' | 'search' | 'feed' | 'team' | 'messages' | 'saved_search';
export type ColumnWidth = 'narrow' | 'normal' | 'wide';

export interface ColumnFilters {
  language?: string;
  hasLink?: boolean;
  fromContactsOnly?: boolean;
  excludeKeywords?: string[];
}

export interface Column {
  id: string;
  title: string;
  channelAccountId: string | null;
  kind: StreamKind;
  target: string | null;
  width: ColumnWidth;
  position: number;
  filters: ColumnFilters;
  unread: number;
}

export interface Board {
  id: string;
  name: string;
  shared: boolean;
  ownerUserId: string;
  position: number;
  columns: Column[];
}

export interface ItemAuthor {
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  profileUrl: string | null;
}

export interface ItemMetrics {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
  views: number | null;
}

export interface StreamItem {
  id: string;
  network: string;
  remoteId: string;
  /** Bluesky's record CID where the server knows it; the connector looks it up otherwise. */
  cid?: string | null;
  url: string | null;
  author: ItemAuthor;
  /** A feed entry's headline; posts have none. */
  title: string | null;
  text: string;
  /** Sanitized by the server; the only HTML the page ever renders. */
  html: string | null;
  links: string[];
  media: { url: string; alt: string }[];
  replyToRemoteId: string | null;
  quoteOfRemoteId: string | null;
  createdAt: string;
  /** Only when the source gave no exact time: createdAt is a guess, at worst when Chorus fetched it. */
  createdAtApproximate?: true;
  language: string | null;
  metrics: ItemMetrics | null;
  channelAccountId: string | null;
  read: boolean;
  done: boolean;
  assignedToUserId: string | null;
}

export interface ItemPage {
  items: StreamItem[];
  olderCursor: string | null;
  /** Image URL → proxy signature, for the items' avatars, media and HTML images. */
  imageSignatures?: ImageSignatures;
}

export interface NewColumn {
  title?: string;
  channelAccountId?: string;
  kind: StreamKind;
  target?: string;
  width?: ColumnWidth;
  filters?: ColumnFilters;
}

export interface ItemState {
  read?: boolean;
  done?: boolean;
  assignedToUserId?: string | null;
}

export type ItemAction = 'like' | 'repost';

/** Server-sent events of GET /stream-events. */
export interface ItemEvent {
  columnIds: string[];
  item: StreamItem;
  imageSignatures?: ImageSignatures;
}
export interface UnreadEvent {
  columnId: string;
  unread: number;
}
/** New counts of stored items, wherever they are shown. */
export interface MetricsEvent {
  items: { id: string; metrics: ItemMetrics }[];
}

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;
const board = (orgId: string, boardId: string) => `${org(orgId)}/boards/${segment(boardId)}`;
const column = (orgId: string, columnId: string) => `${org(orgId)}/columns/${segment(columnId)}`;
const item = (orgId: string, itemId: string) => `${org(orgId)}/items/${segment(itemId)}`;

function pageQuery(before: string | null, limit: number, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...extra, limit: String(limit) });
  if (before) query.set('before', before);
  return query.toString();
}

export const listBoards = (orgId: string) => request<{ boards: Board[] }>('GET', `${org(orgId)}/boards`).then((r) => r.boards);
export const createBoard = (orgId: string, input: { name: string; shared?: boolean }, idempotencyKey: string) =>
  request<{ board: Board }>('POST', `${org(orgId)}/boards`, input, { idempotencyKey });
export const editBoard = (orgId: string, boardId: string, edit: { name?: string; shared?: boolean; position?: number }) =>
  request<{ board: Board }>('PATCH', board(orgId, boardId), edit);
export const deleteBoard = (orgId: string, boardId: string) => request<void>('DELETE', board(orgId, boardId));

export const addColumn = (orgId: string, boardId: string, input: NewColumn, idempotencyKey: string) =>
  request<{ column: Column }>('POST', `${board(orgId, boardId)}/columns`, input, { idempotencyKey });
export const editColumn = (orgId: string, columnId: string, edit: { title?: string; width?: ColumnWidth; position?: number; filters?: ColumnFilters }) =>
  request<{ column: Column }>('PATCH', column(orgId, columnId), edit);
export const removeColumn = (orgId: string, columnId: string) => request<void>('DELETE', column(orgId, columnId));
export const reorderColumns = (orgId: string, boardId: string, columnIds: string[]) => request<unknown>('PUT', `${board(orgId, boardId)}/column-order`, { columnIds });

/** Items come back with every image pointed at the server's image proxy (api/image-proxy.ts). */
const proxied = (orgId: string) => (page: ItemPage): ItemPage => ({
  items: page.items.map((item) => proxyItemImages(orgId, item, page.imageSignatures)),
  olderCursor: page.olderCursor,
});

export const columnItems = (orgId: string, columnId: string, before: string | null, limit = 50) =>
  request<ItemPage>('GET', `${column(orgId, columnId)}/items?${pageQuery(before, limit)}`).then(proxied(orgId));
export const markColumnRead = (orgId: string, columnId: string, upTo: string) => request<unknown>('POST', `${column(orgId, columnId)}/read`, { upTo });

/** The item as it now is, with its images pointed at the proxy like items of a page. */
export const setItemState = (orgId: string, itemId: string, state: ItemState) =>
  request<{ item: StreamItem; imageSignatures?: ImageSignatures }>('POST', `${item(orgId, itemId)}/state`, state).then((r) => ({
    item: proxyItemImages(orgId, r.item, r.imageSignatures),
  }));
/** `columnId`: the column the item was shown in, whose account acts. */
export const actOnItem = (orgId: string, itemId: string, action: ItemAction, columnId: string | null) =>
  request<unknown>('POST', `${item(orgId, itemId)}/actions`, columnId ? { action, columnId } : { action });

export const searchItems = (orgId: string, q: string, before: string | null, limit = 50) =>
  request<ItemPage>('GET', `${org(orgId)}/search?${pageQuery(before, limit, { q })}`).then(proxied(orgId));

export const streamEventsUrl = (orgId: string) => `${org(orgId)}/stream-events`;
