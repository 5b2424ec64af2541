import type { z } from 'zod';
import { DomainError } from '../lib/domain-error.js';
import type { Dialect } from '../store/store.js';
import { utf8Bytes } from '../store/dialect-sql.js';
import { preparedOrgQuery, type OrgScope } from '../teams/org-scope.js';
import { membershipRole } from '../teams/service.js';
import { viewerStates } from './actions.js';
import { readableColumn } from './boards.js';
import { columnsAddedAt, isBacklog } from './backlog.js';
import { authorItems, authorsToWalk, columnItems, type ColumnItemsQuery } from './column-queries.js';
import type { ItemCursor } from './cursor.js';
import { hasFilters, whereFiltersPass } from './filters.js';
import type { AuthorRef } from './contact-authors.js';
import { cursorFrom, nextCursorOf, storedImageUrls, type ItemPageBytes } from './item-pages.js';
import type { ColumnFilters, ItemStateBody } from './schemas.js';
import type { ColumnRow } from './tables.js';
import { unreadCounts } from './unread-counts.js';
import { searchItems } from './search/search.js';
import { signImageUrls } from '../image-proxy/item-images.js';
import type { ImageUrlSigner } from '../image-proxy/signature.js';
import { columnItemJson } from './item-json-sql.js';
import { itemJson, presentItem, type ItemView } from './views.js';

const ITEMS_OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');

/**
 * The page as the UTF-8 bytes of its JSON, with `imageSignatures` {url: signature} beside the
 * items: the web UI loads each image through the proxy with it (image-proxy/). Image URLs were
 * listed at ingest. Column pages come from the store as UTF-8 bytes per row (`utf8Bytes`), so
 * their text, mostly item views, is never decoded into JavaScript strings and encoded back.
 */
function pageJson(rows: { json: string | Uint8Array; image_urls: string }[], nextCursor: string | null, signer: ImageUrlSigner, orgId: string): ItemPageBytes {
  const signatures = signImageUrls(
    signer,
    orgId,
    rows.flatMap((row) => storedImageUrls(row.image_urls)),
  );
  const parts: Uint8Array[] = [ITEMS_OPEN];
  for (const [i, row] of rows.entries()) {
    if (i > 0) parts.push(COMMA);
    parts.push(typeof row.json === 'string' ? Buffer.from(row.json, 'utf8') : row.json);
  }
  parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)},"imageSignatures":${JSON.stringify(signatures)}}`, 'utf8'));
  return Buffer.concat(parts);
}

interface PageParams {
  [name: string]: string | number | null;
  columnId: string;
  /** The column's own account as JSON text, or null: items then show the account that fetched them. */
  columnAccountJson: string | null;
  beforeCreatedAt: string;
  beforeItemId: string;
  limit: number;
}

/** One page of a column: an index range on (column, created_at, item), each row spliced to JSON. */
function pageQuery(scope: OrgScope, dialect: Dialect, params: PageParams, options: { filters: ColumnFilters; paged: boolean }) {
  let query = columnItems(scope, params.columnId, options.filters);
  if (options.paged) {
    query = query.where((eb) =>
      eb.or([
        eb('column_items.created_at', '<', params.beforeCreatedAt),
        eb.and([eb('column_items.created_at', '=', params.beforeCreatedAt), eb('column_items.item_id', '<', params.beforeItemId)]),
      ]),
    );
  }
  return asPage(query, dialect, params);
}

/** The rows' JSON and cursor fields. */
const pageRows = (query: ColumnItemsQuery, dialect: Dialect, params: PageParams) =>
  query
    .leftJoin('item_states', 'item_states.item_id', 'column_items.item_id')
    .select([
      utf8Bytes(dialect, columnItemJson(dialect, params.columnAccountJson)).as('json'),
      'stream_items.image_urls',
      'column_items.created_at',
      'column_items.item_id as id',
    ]);

/** The page: its rows newest first. */
function asPage(query: ColumnItemsQuery, dialect: Dialect, params: PageParams) {
  return pageRows(query, dialect, params).orderBy('column_items.created_at', 'desc').orderBy('column_items.item_id', 'desc').limit(params.limit);
}

const plainPage = (dialect: Dialect, paged: boolean) =>
  preparedOrgQuery((scope, params: PageParams) => pageQuery(scope, dialect, params, { filters: {}, paged }));

/** Pages of unfiltered columns, what nearly every read is, compiled once per store. */
const plainPages: Record<Dialect, { newest: ReturnType<typeof plainPage>; older: ReturnType<typeof plainPage> }> = {
  sqlite: { newest: plainPage('sqlite', false), older: plainPage('sqlite', true) },
  postgres: { newest: plainPage('postgres', false), older: plainPage('postgres', true) },
};

/** A column's items, newest first; `column` is the caller's readable column (`readableColumn`). */
export async function readColumnItems(
  scope: OrgScope,
  dialect: Dialect,
  signer: ImageUrlSigner,
  column: ColumnRow,
  options: { before?: string | undefined; limit: number },
): Promise<ItemPageBytes> {
  const before = cursorFrom(options.before);
  const filters = JSON.parse(column.filters) as ColumnFilters;
  if (column.kind === 'saved_search') return searchPage(scope, dialect, signer, column.target ?? '', { before, limit: options.limit, filters });
  const params: PageParams = {
    columnId: column.id,
    columnAccountJson: column.channel_account_id === null ? null : JSON.stringify(column.channel_account_id),
    beforeCreatedAt: before?.createdAt ?? '',
    beforeItemId: before?.itemId ?? '',
    limit: options.limit,
  };
  const authors = await authorsToWalk(scope, filters);
  const rows = authors
    ? await pageByAuthor(scope, dialect, params, filters, authors, before !== null)
    : hasFilters(filters)
      ? await pageQuery(scope, dialect, params, { filters, paged: before !== null }).execute()
      : await scope.run(before ? plainPages[dialect].older : plainPages[dialect].newest, params);
  return pageJson(rows, nextCursorOf(rows, options.limit), signer, scope.orgId);
}

/**
 * The page over several authors: each author's newest keys in the column, from the author index
 * in its order (created_at, id: what the column orders by), merged; then only the page's rows are
 * rendered to JSON.
 */
async function pageByAuthor(scope: OrgScope, dialect: Dialect, params: PageParams, filters: ColumnFilters, authors: AuthorRef[], paged: boolean) {
  const keysOf = (author: AuthorRef) => {
    let query = authorItems(scope, params.columnId, filters, author);
    if (paged) {
      query = query.where((eb) =>
        eb.or([
          eb('stream_items.created_at', '<', params.beforeCreatedAt),
          eb.and([eb('stream_items.created_at', '=', params.beforeCreatedAt), eb('stream_items.id', '<', params.beforeItemId)]),
        ]),
      );
    }
    return query
      .select(['stream_items.created_at', 'stream_items.id'])
      .orderBy('stream_items.created_at', 'desc')
      .orderBy('stream_items.id', 'desc')
      .limit(params.limit)
      .execute();
  };
  const newestFirst = (a: { created_at: string; id: string }, b: { created_at: string; id: string }) =>
    a.created_at === b.created_at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.created_at < b.created_at ? 1 : -1;
  const keys = (await Promise.all(authors.map(keysOf))).flat().sort(newestFirst).slice(0, params.limit);
  if (keys.length === 0) return [];
  // No ORDER BY here: it would let the planner walk the whole column in order to find these few rows.
  const rows = await pageRows(
    columnItems(scope, params.columnId, {}).where(
      'column_items.item_id',
      'in',
      keys.map((key) => key.id),
    ),
    dialect,
    params,
  ).execute();
  return rows.sort(newestFirst);
}

async function searchPage(
  scope: OrgScope,
  dialect: Dialect,
  signer: ImageUrlSigner,
  text: string,
  options: { before: ItemCursor | null; limit: number; filters?: ColumnFilters },
): Promise<ItemPageBytes> {
  const rows = await searchItems(scope.shared, dialect, scope.orgId, text, options);
  const assigned = await assignments(
    scope,
    rows.map((r) => r.id),
  );
  const viewers = await viewerStates(
    scope,
    rows.map((r) => ({ itemId: r.id, channelAccountId: r.channel_account_id })),
  );
  const items = rows.map((row) => ({
    json: itemJson(row, { read: false, done: false, assignedToUserId: assigned.get(row.id) ?? null, viewer: viewers.get(row.id) }),
    image_urls: row.image_urls,
  }));
  return pageJson(items, nextCursorOf(rows, options.limit), signer, scope.orgId);
}

/** Full-text search over every item the org has stored (read/done are per column, so false here). */
export async function searchStoredItems(
  scope: OrgScope,
  dialect: Dialect,
  signer: ImageUrlSigner,
  options: { q: string; before?: string | undefined; limit: number },
): Promise<ItemPageBytes> {
  return searchPage(scope, dialect, signer, options.q, { before: cursorFrom(options.before), limit: options.limit });
}

async function assignments(scope: OrgScope, itemIds: string[]): Promise<Map<string, string | null>> {
  if (itemIds.length === 0) return new Map();
  const rows = await scope.selectFrom('item_states').select(['item_id', 'assigned_to_user_id']).where('item_id', 'in', itemIds).execute();
  return new Map(rows.map((r) => [r.item_id, r.assigned_to_user_id]));
}

/** Marks read every item of the column up to (and including) `upTo` in newest-first order. */
export async function markColumnRead(scope: OrgScope, columnId: string, upTo: string): Promise<number> {
  const column = await readableColumn(scope, columnId);
  if (column.kind === 'saved_search')
    throw new DomainError('column_has_no_read_state', 'A saved search has no read state of its own: mark items read in the columns they arrived in', 422);
  const anchor = await scope
    .selectFrom('column_items')
    .select(['created_at', 'item_id'])
    .where('column_id', '=', column.id)
    .where('item_id', '=', upTo)
    .executeTakeFirst();
  if (!anchor) throw new DomainError('item_not_in_column', 'That item is not in this column', 404);
  await scope
    .updateTable('column_items')
    .set({ read: 1 })
    .where('column_id', '=', column.id)
    .where('read', '=', 0)
    .where((eb) => eb.or([eb('created_at', '<', anchor.created_at), eb.and([eb('created_at', '=', anchor.created_at), eb('item_id', '<=', anchor.item_id)])]))
    .execute();
  return (await unreadCounts(scope, [column])).get(column.id) ?? 0;
}

/**
 * Read and done apply to the item in every column the caller can see; the assignee is one per
 * item for the whole org (a conversation has one owner). Returns the columns whose unread changed.
 */
export async function setItemState(
  scope: OrgScope,
  itemId: string,
  input: z.output<typeof ItemStateBody>,
): Promise<{ item: ItemView; imageUrls: string[]; changedColumns: ColumnRow[] }> {
  const row = await scope.selectFrom('stream_items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!row) throw new DomainError('item_not_found', 'Item not found', 404);
  if (input.assignedToUserId) {
    if (!(await membershipRole(scope.shared, scope.orgId, input.assignedToUserId)))
      throw new DomainError('not_a_member', 'Items can only be assigned to members of this organization', 422);
  }
  const columns = await scope
    .selectFrom('stream_columns')
    .innerJoin('boards', 'boards.id', 'stream_columns.board_id')
    .innerJoin('column_items', 'column_items.column_id', 'stream_columns.id')
    .selectAll('stream_columns')
    .where('column_items.item_id', '=', row.id)
    .where((eb) => eb.or([eb('boards.owner_user_id', '=', scope.actor.userId), eb('boards.shared', '=', 1)]))
    .execute();
  const changes = { ...(input.read !== undefined ? { read: input.read ? 1 : 0 } : {}), ...(input.done !== undefined ? { done: input.done ? 1 : 0 } : {}) };
  if (Object.keys(changes).length > 0 && columns.length > 0) {
    await scope
      .updateTable('column_items')
      .set(changes)
      .where('item_id', '=', row.id)
      .where(
        'column_id',
        'in',
        columns.map((c) => c.id),
      )
      .execute();
  }
  if (input.assignedToUserId !== undefined) {
    const now = scope.now();
    const updated = await scope
      .updateTable('item_states')
      .set({ assigned_to_user_id: input.assignedToUserId, updated_at: now })
      .where('item_id', '=', row.id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      await scope.insertInto('item_states', { item_id: row.id, assigned_to_user_id: input.assignedToUserId, updated_at: now });
    await scope.audit('stream_item.assigned', { itemId: row.id, assignedToUserId: input.assignedToUserId });
  }
  const state = await scope.selectFrom('item_states').select('assigned_to_user_id').where('item_id', '=', row.id).executeTakeFirst();
  const membership = columns.length
    ? await scope
        .selectFrom('column_items')
        .select(['read', 'done'])
        .where('item_id', '=', row.id)
        .where(
          'column_id',
          'in',
          columns.map((c) => c.id),
        )
        .execute()
    : [];
  const viewer = (await viewerStates(scope, [{ itemId: row.id, channelAccountId: row.channel_account_id }])).get(row.id);
  const item = presentItem(row, {
    read: membership.length > 0 && membership.every((m) => m.read === 1),
    done: membership.length > 0 && membership.every((m) => m.done === 1),
    assignedToUserId: state?.assigned_to_user_id ?? null,
    viewer,
  });
  return { item, imageUrls: storedImageUrls(row.image_urls), changedColumns: input.read !== undefined ? columns : [] };
}

type Membership = { columnId: string; itemId: string };

/**
 * The memberships whose item passes its column's filters: new items enter every column of their
 * stream, but a filtered column shows only those that pass, live as when read.
 */
async function passingFilters(scope: OrgScope, memberships: Membership[]): Promise<Membership[]> {
  const columnIds = [...new Set(memberships.map((m) => m.columnId))];
  const columns = await scope.selectFrom('stream_columns').select(['id', 'filters']).where('id', 'in', columnIds).execute();
  const filtered = columns.map((c) => ({ id: c.id, filters: JSON.parse(c.filters) as ColumnFilters })).filter((c) => hasFilters(c.filters));
  if (filtered.length === 0) return memberships;
  const failing = new Set<string>();
  for (const column of filtered) {
    const itemIds = memberships.filter((m) => m.columnId === column.id).map((m) => m.itemId);
    const query = whereFiltersPass(scope.selectFrom('stream_items').select('stream_items.id').where('stream_items.id', 'in', itemIds), column.filters);
    const passing = new Set((await query.execute()).map((row) => row.id));
    for (const itemId of itemIds) if (!passing.has(itemId)) failing.add(`${column.id} ${itemId}`);
  }
  return memberships.filter((m) => !failing.has(`${m.columnId} ${m.itemId}`));
}

/**
 * Item views for live events, one per item and reading state: an item that entered a new column
 * read (its backlog) and an older one unread is two views, each with the columns it is true for.
 * Saved-search columns hold no memberships: their items show unread and not done, as when read.
 */
export async function itemsForColumns(scope: OrgScope, newMemberships: Membership[]): Promise<{ item: ItemView; imageUrls: string[]; columnIds: string[] }[]> {
  if (newMemberships.length === 0) return [];
  const memberships = await passingFilters(scope, newMemberships);
  const itemIds = [...new Set(memberships.map((m) => m.itemId))];
  if (itemIds.length === 0) return [];
  const rows = await scope.selectFrom('stream_items').selectAll().where('id', 'in', itemIds).execute();
  const assigned = await assignments(scope, itemIds);
  // As the account that fetched each item; a column with an account of its own reads its state on its next page.
  const viewers = await viewerStates(
    scope,
    rows.map((r) => ({ itemId: r.id, channelAccountId: r.channel_account_id })),
  );
  const columnIds = [...new Set(memberships.map((m) => m.columnId))];
  const states = new Map(
    (
      await scope
        .selectFrom('column_items')
        .select(['column_id', 'item_id', 'read', 'done'])
        .where('item_id', 'in', itemIds)
        .where('column_id', 'in', columnIds)
        .execute()
    ).map((s) => [`${s.column_id} ${s.item_id}`, { read: s.read === 1, done: s.done === 1 }]),
  );
  // A saved search holds no memberships; the backlog rule of ingest still decides what looks new there.
  const addedAt = await columnsAddedAt(scope.shared, scope.orgId, columnIds);
  const unheldState = (columnId: string, createdAt: string) => ({ read: isBacklog(Date.parse(createdAt), addedAt.get(columnId)), done: false });
  const views: { item: ItemView; imageUrls: string[]; columnIds: string[] }[] = [];
  for (const row of rows) {
    const byState = new Map<string, { read: boolean; done: boolean; columnIds: string[] }>();
    for (const { columnId } of memberships.filter((m) => m.itemId === row.id)) {
      const state = states.get(`${columnId} ${row.id}`) ?? unheldState(columnId, row.created_at);
      const key = `${state.read} ${state.done}`;
      const group = byState.get(key) ?? byState.set(key, { ...state, columnIds: [] }).get(key)!;
      group.columnIds.push(columnId);
    }
    const imageUrls = storedImageUrls(row.image_urls);
    for (const { read, done, columnIds } of byState.values()) {
      views.push({ item: presentItem(row, { read, done, assignedToUserId: assigned.get(row.id) ?? null, viewer: viewers.get(row.id) }), imageUrls, columnIds });
    }
  }
  return views;
}
