import type { Kysely } from 'kysely';
import type { NormalizedItem, ViewerReactions } from '../channels/connector.js';
import { newTimeOrderedId } from '../lib/ids.js';
import { insertRowsSkippingConflicts, type BulkInsertShape } from '../store/bulk-insert.js';
import type { Database } from '../store/database.js';
import { inTransaction } from '../store/transaction.js';
import { columnsAddedAt, isBacklog } from './backlog.js';
import { refreshStoredMetrics, staleMetrics, type StaleMetrics } from './metrics-refresh.js';
import { takeStatedReactions } from './network-reactions.js';
import { toStoredItem, type StreamItemRow } from './normalize.js';

export interface IngestBatch {
  orgId: string;
  channelAccountId: string | null;
  items: NormalizedItem[];
  /** Every column reading the stream these items came from. */
  columnIds: string[];
  fetchedAt: string;
}

export interface IngestResult {
  /** Items this org had never stored before. */
  newItemIds: string[];
  /** Items that entered a column for the first time: what live listeners hear about. */
  memberships: { columnId: string; itemId: string }[];
  /** Items stored before whose metrics this batch updated. */
  refreshedItemIds: string[];
  /** Items the reading account had liked or reposted, or taken back, in the network's own app since the last read. */
  reactedItemIds: string[];
}

// Far below both dialects' bound-parameter limits (SQLite 32766, PostgreSQL 65535) at 31 columns a row.
const ROWS_PER_STATEMENT = 500;

/** Every column of a normalized row, in the order the insert binds them. */
const ROW_COLUMNS = [
  'network',
  'remote_id',
  'id_scope',
  'url',
  'author_handle',
  'author_display_name',
  'author_avatar_url',
  'author_profile_url',
  'author_key',
  'title',
  'text',
  'html',
  'search_text',
  'links',
  'media',
  'reply_to_remote_id',
  'quote_of_remote_id',
  'created_at',
  'created_at_approximate',
  'language',
  'mentions',
  'tags',
  'card_title',
  'is_direct',
  'metrics',
  'view',
  'image_urls',
] as const satisfies readonly (keyof StreamItemRow)[];
// A column added to StreamItemRow but not listed above fails to compile here instead of going unstored.
const rowColumnsAreComplete: Exclude<keyof StreamItemRow, (typeof ROW_COLUMNS)[number]> extends never ? true : never = true;
void rowColumnsAreComplete;

const NEW_ITEMS: BulkInsertShape<'stream_items', 'id' | 'org_id' | 'channel_account_id' | 'fetched_at' | (typeof ROW_COLUMNS)[number], 'id'> = {
  table: 'stream_items',
  columns: ['id', 'org_id', 'channel_account_id', 'fetched_at', ...ROW_COLUMNS],
  conflictColumns: ['org_id', 'network', 'id_scope', 'remote_id'],
  returning: ['id'],
};

const NEW_MEMBERSHIPS: BulkInsertShape<'column_items', 'org_id' | 'column_id' | 'item_id' | 'created_at' | 'read' | 'done', 'column_id' | 'item_id'> = {
  table: 'column_items',
  columns: ['org_id', 'column_id', 'item_id', 'created_at', 'read', 'done'],
  conflictColumns: ['column_id', 'item_id'],
  returning: ['column_id', 'item_id'],
};

const chunks = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
const keyOf = (row: { network: string; id_scope: string; remote_id: string }) => `${row.network}\u0000${row.id_scope}\u0000${row.remote_id}`;

/**
 * Normalizes, dedupes and stores one batch, and puts it in its columns, in one transaction.
 * Dedupe is the unique key (org, network, id scope, remote id): an item seen by several streams
 * or accounts of the org is stored once, while entries of different feeds stay apart however
 * their guids collide (a guid is unique within its feed only); the full-text index is kept by the store (trigger or GIN).
 * A stored item keeps its first-seen version, except its metrics, which follow the newest poll,
 * and the reading account's likes and reposts where the network states them (network-reactions.ts).
 * An item created before a column was added enters that column read, so a new column's backlog
 * does not show as unread.
 */
export async function storeIngestedBatch(db: Kysely<Database>, batch: IngestBatch): Promise<IngestResult> {
  const unique = new Map<string, StreamItemRow>();
  const viewers = new Map<string, ViewerReactions>();
  for (const item of batch.items) {
    const row = toStoredItem(item, batch.fetchedAt);
    unique.set(keyOf(row), row);
    if (item.viewer) viewers.set(keyOf(row), item.viewer);
  }
  if (unique.size === 0) return { newItemIds: [], memberships: [], refreshedItemIds: [], reactedItemIds: [] };
  return inTransaction(db, async (tx) => {
    const idsByKey = new Map<string, { id: string; createdAt: string }>();
    const newItemIds: string[] = [];
    const stale: StaleMetrics[] = [];
    for (const part of chunks([...unique.values()], ROWS_PER_STATEMENT)) {
      // Time-ordered ids: the id, membership and item indexes grow at their ends, not on random pages.
      const candidates = new Map<string, StreamItemRow>();
      const values: unknown[] = [];
      for (const row of part) {
        const id = newTimeOrderedId();
        candidates.set(id, row);
        values.push(id, batch.orgId, batch.channelAccountId, batch.fetchedAt);
        for (const column of ROW_COLUMNS) values.push(row[column]);
      }
      for (const { id } of await insertRowsSkippingConflicts(tx, NEW_ITEMS, values)) {
        const row = candidates.get(id)!;
        idsByKey.set(keyOf(row), { id, createdAt: row.created_at });
        newItemIds.push(id);
      }
      const known = part.filter((row) => !idsByKey.has(keyOf(row)));
      const sources = new Map(known.map((row) => [`${row.network}\u0000${row.id_scope}`, { network: row.network, idScope: row.id_scope }]));
      for (const { network, idScope } of sources.values()) {
        const existing = await tx
          .selectFrom('stream_items')
          .select(['id', 'network', 'id_scope', 'remote_id', 'created_at', 'metrics'])
          .where('org_id', '=', batch.orgId)
          .where('network', '=', network)
          .where('id_scope', '=', idScope)
          .where(
            'remote_id',
            'in',
            known.filter((row) => row.network === network && row.id_scope === idScope).map((row) => row.remote_id),
          )
          .execute();
        for (const row of existing) idsByKey.set(keyOf(row), { id: row.id, createdAt: row.created_at });
        stale.push(...staleMetrics(existing, (row) => unique.get(keyOf(row))?.metrics));
      }
    }
    const refreshedItemIds = await refreshStoredMetrics(tx, stale);
    // The network's word on the reading account's likes and reposts, for new and known items alike.
    let reactedItemIds: string[] = [];
    if (batch.channelAccountId !== null && viewers.size > 0) {
      const stated = [...viewers].map(([key, viewer]) => ({ itemId: idsByKey.get(key)!.id, viewer }));
      reactedItemIds = await takeStatedReactions(tx, { orgId: batch.orgId, channelAccountId: batch.channelAccountId, fetchedAt: batch.fetchedAt }, stated);
    }
    const memberships: IngestResult['memberships'] = [];
    const items = [...idsByKey.values()].map((item) => ({ ...item, createdMs: Date.parse(item.createdAt) }));
    const addedAt = await columnsAddedAt(tx, batch.orgId, batch.columnIds);
    for (const columnId of batch.columnIds) {
      // The backlog a new column brings in was never news to its reader: it arrives read.
      const since = addedAt.get(columnId);
      for (const part of chunks(items, ROWS_PER_STATEMENT)) {
        const values: unknown[] = [];
        for (const item of part) values.push(batch.orgId, columnId, item.id, item.createdAt, isBacklog(item.createdMs, since) ? 1 : 0, 0);
        for (const row of await insertRowsSkippingConflicts(tx, NEW_MEMBERSHIPS, values)) memberships.push({ columnId: row.column_id, itemId: row.item_id });
      }
    }
    // A new item carries its reactions in its own live event.
    const isNew = new Set(newItemIds);
    return { newItemIds, memberships, refreshedItemIds, reactedItemIds: reactedItemIds.filter((id) => !isNew.has(id)) };
  });
}
