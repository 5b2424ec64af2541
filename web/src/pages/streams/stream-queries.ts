import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { columnItems, listBoards, searchItems, type Board, type ItemMetrics, type ItemPage, type StreamItem } from '../../api/streams.js';
import { can, canEditBoard } from '../../app/permissions.js';
import { useCurrentOrg } from '../../shell/current-org.js';

export const boardsKey = (orgId: string) => ['org', orgId, 'boards'] as const;
export const columnItemsKey = (orgId: string, columnId: string) => ['org', orgId, 'column-items', columnId] as const;
export const searchKey = (orgId: string, q: string) => ['org', orgId, 'stream-search', q] as const;
const allItemsKey = (orgId: string) => ['org', orgId] as const;

const PAGE = 50;

/** What the member may do here; the server decides again on every request. */
export function useStreamRights() {
  const { org, session } = useCurrentOrg();
  return {
    /** Create boards, like, repost, mark read/done, assign. */
    write: can(org.role, 'streams.write'),
    /** Reply and quote through the composer. */
    compose: can(org.role, 'posts.write'),
    editBoard: (board: Pick<Board, 'ownerUserId' | 'shared'>) => canEditBoard({ userId: session.user.id, role: org.role }, board),
  };
}

export const boardsQuery = (orgId: string) => queryOptions({ queryKey: boardsKey(orgId), queryFn: () => listBoards(orgId), meta: { quiet: true } });

export const useBoards = (orgId: string) => useQuery(boardsQuery(orgId));

/** The board the page shows: the one named by `?board=`, else the first. */
export const shownBoard = (boards: Board[], wanted: string | null): Board | undefined => boards.find((b) => b.id === wanted) ?? boards[0];

/** One column's items, newest first, paged backwards with the server's `nextCursor`. */
export const useColumnItems = (orgId: string, columnId: string) => useInfiniteQuery(columnItemsQuery(orgId, columnId));

export const columnItemsQuery = (orgId: string, columnId: string) =>
  infiniteQueryOptions({
    queryKey: columnItemsKey(orgId, columnId),
    queryFn: ({ pageParam }) => columnItems(orgId, columnId, pageParam, PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (last: ItemPage) => last.nextCursor,
    // Live events bring new items and new counts of likes, reposts and replies, except where they
    // cannot reach this server (a separate worker process on SQLite). For those, a column read more
    // than 5 minutes ago is read again when the reader comes back to it (another board, another
    // page, another window); staying on it moves nothing.
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
    meta: { quiet: true },
  });

export const useSearch = (orgId: string, q: string) =>
  useInfiniteQuery({
    queryKey: searchKey(orgId, q),
    queryFn: ({ pageParam }) => searchItems(orgId, q, pageParam, PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (last: ItemPage) => last.nextCursor,
    enabled: q.trim() !== '',
    meta: { quiet: true },
  });

type Pages = InfiniteData<ItemPage, string | null>;

/** Column queries whose first page was asked for again because items arrived before it (see insertItem). */
const askedAgain = new WeakSet<object>();

/** The server's column order: newest first, then by id. */
const before = (a: StreamItem, b: StreamItem): boolean => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);

/**
 * Puts a live item into a loaded column where the server would list it (once, however often it
 * arrives). An item older than everything loaded, with older pages still to come, is left for
 * those pages. Returns whether it was added.
 */
export function insertItem(client: QueryClient, orgId: string, columnId: string, item: StreamItem): boolean {
  const key = columnItemsKey(orgId, columnId);
  const query = client.getQueryCache().find({ queryKey: key, exact: true });
  if (query && query.state.data === undefined) {
    // The column's first page is still on its way and may have been read before this item was
    // stored (a new column's first poll is that fast): ask once more, so the page cannot miss it.
    // Cancel first: a refetch of a query without data would only join the request in flight.
    if (!askedAgain.has(query)) {
      askedAgain.add(query);
      void client.cancelQueries({ queryKey: key }).then(() => client.invalidateQueries({ queryKey: key }));
    }
    return false;
  }
  let added = false;
  client.setQueryData<Pages>(key, (data) => {
    if (!data || data.pages.length === 0) return data;
    if (data.pages.some((page) => page.items.some((known) => known.id === item.id))) return data;
    const pages = data.pages.map((page) => ({ ...page, items: [...page.items] }));
    for (const [index, page] of pages.entries()) {
      const at = page.items.findIndex((known) => before(item, known));
      const last = index === pages.length - 1;
      if (at >= 0 || (last && page.nextCursor === null)) {
        page.items.splice(at >= 0 ? at : page.items.length, 0, item);
        added = true;
        return { ...data, pages };
      }
    }
    return data;
  });
  return added;
}

/**
 * Reads again every cached page that shows one of these items (columns and search results): a like
 * or repost is shown per account, which only the server knows for each column.
 */
export function refreshPagesHolding(client: QueryClient, orgId: string, itemIds: string[]): void {
  const wanted = new Set(itemIds);
  void client.invalidateQueries({
    queryKey: allItemsKey(orgId),
    predicate: (query) => {
      const data = query.state.data as Pages | undefined;
      return Array.isArray(data?.pages) && data.pages.some((page) => Array.isArray(page?.items) && page.items.some((item) => wanted.has(item.id)));
    },
  });
}

/** Applies a change to one item wherever it is shown (columns and search results). */
export function updateItem(client: QueryClient, orgId: string, itemId: string, change: (item: StreamItem) => StreamItem): void {
  updateItems(client, orgId, new Map([[itemId, change]]));
}

/** New counts for items wherever they are shown, in place: nothing moves and nothing turns unread. */
export function setMetrics(client: QueryClient, orgId: string, items: { id: string; metrics: ItemMetrics }[]): void {
  updateItems(client, orgId, new Map(items.map(({ id, metrics }) => [id, (item: StreamItem) => ({ ...item, metrics })])));
}

/** One pass over every cached page of the org, changing only the pages that hold one of the items. */
function updateItems(client: QueryClient, orgId: string, changes: Map<string, (item: StreamItem) => StreamItem>): void {
  client.setQueriesData<Pages>({ queryKey: allItemsKey(orgId) }, (data) => {
    if (!data || !Array.isArray((data as { pages?: unknown }).pages)) return data;
    let touched = false;
    const pages = data.pages.map((page) => {
      if (!Array.isArray(page?.items)) return page;
      if (!page.items.some((i) => changes.has(i.id))) return page;
      touched = true;
      return { ...page, items: page.items.map((i) => changes.get(i.id)?.(i) ?? i) };
    });
    return touched ? { ...data, pages } : data;
  });
}

export function setUnread(client: QueryClient, orgId: string, columnId: string, unread: number): void {
  client.setQueryData<Board[]>(boardsKey(orgId), (boards) =>
    boards?.map((board) =>
      board.columns.some((c) => c.id === columnId) ? { ...board, columns: board.columns.map((c) => (c.id === columnId ? { ...c, unread } : c)) } : board,
    ),
  );
}

/** Every column's items read again: a like or repost made elsewhere (the inbox) changes how they show. */
export const refreshColumnItems = (client: QueryClient, orgId: string): Promise<void> => client.invalidateQueries({ queryKey: ['org', orgId, 'column-items'] });

/**
 * Columns filtered to contacts hold other items once the org's contacts change: read them, and
 * the unread counts, again. Columns without that filter are left alone.
 */
export async function refreshContactColumns(client: QueryClient, orgId: string): Promise<void> {
  const columns = (client.getQueryData<Board[]>(boardsKey(orgId)) ?? []).flatMap((board) => board.columns).filter((column) => column.filters.fromContactsOnly);
  if (columns.length === 0) return;
  await Promise.all([
    client.invalidateQueries({ queryKey: boardsKey(orgId) }),
    ...columns.map((column) => client.invalidateQueries({ queryKey: columnItemsKey(orgId, column.id) })),
  ]);
}

export function useRefreshBoards(orgId: string): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: boardsKey(orgId) });
}
