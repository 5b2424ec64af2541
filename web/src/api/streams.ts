import type { PostMetrics } from '@core/api/channels.js';
import type {
  BoardView,
  ColumnFilters,
  ColumnKind,
  ColumnView,
  ColumnWidth,
  ItemEvent,
  ItemActionAnswer,
  ItemPage as ServerItemPage,
  ItemStateAnswer,
  ItemView,
  MetricsEvent,
  ReactionsEvent,
  UnreadEvent,
} from '@core/api/streams.js';
import { request, segment } from './client.js';
import { proxyItemImages } from './image-proxy.js';

/** Answers of src/streams/routes.ts: the server's own (core/api/streams.ts). */
export type StreamKind = ColumnKind;
export type { ColumnFilters, ColumnWidth, ItemEvent, MetricsEvent, ReactionsEvent, UnreadEvent };
/** A page as the app keeps it: once its images point at the proxy, the signatures are spent. */
export type ItemPage = Omit<ServerItemPage, 'imageSignatures'> & Partial<Pick<ServerItemPage, 'imageSignatures'>>;
export type Column = ColumnView;
export type Board = BoardView;
export type StreamItem = ItemView;
export type ItemAuthor = ItemView['author'];
export type ItemMetrics = PostMetrics;

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
export const reorderColumns = (orgId: string, boardId: string, columnIds: string[]) =>
  request<unknown>('PUT', `${board(orgId, boardId)}/column-order`, { columnIds });

/** Items come back with every image pointed at the server's image proxy (api/image-proxy.ts). */
const proxied =
  (orgId: string) =>
  (page: ItemPage): ItemPage => ({
    items: page.items.map((item) => proxyItemImages(orgId, item, page.imageSignatures)),
    nextCursor: page.nextCursor,
  });

export const columnItems = (orgId: string, columnId: string, before: string | null, limit = 50) =>
  request<ItemPage>('GET', `${column(orgId, columnId)}/items?${pageQuery(before, limit)}`).then(proxied(orgId));
export const markColumnRead = (orgId: string, columnId: string, upTo: string) => request<unknown>('POST', `${column(orgId, columnId)}/read`, { upTo });

/** The item as it now is, with its images pointed at the proxy like items of a page. */
export const setItemState = (orgId: string, itemId: string, state: ItemState) =>
  request<ItemStateAnswer>('POST', `${item(orgId, itemId)}/state`, state).then((r) => ({
    item: proxyItemImages(orgId, r.item, r.imageSignatures),
  }));
/** `columnId`: the column the item was shown in, whose account acts. `undo` takes that account's like (repost) back. Answers its state afterwards. */
export const actOnItem = (orgId: string, itemId: string, action: ItemAction, columnId: string | null, undo = false) =>
  request<ItemActionAnswer>('POST', `${item(orgId, itemId)}/actions`, { action, ...(columnId ? { columnId } : {}), ...(undo ? { undo } : {}) }).then(
    (r) => r.viewer,
  );

export const searchItems = (orgId: string, q: string, before: string | null, limit = 50) =>
  request<ItemPage>('GET', `${org(orgId)}/search?${pageQuery(before, limit, { q })}`).then(proxied(orgId));

export const streamEventsUrl = (orgId: string) => `${org(orgId)}/stream-events`;
