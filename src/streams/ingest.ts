import type { Kysely } from 'kysely';
import type { NormalizedItem } from '../channels/connector.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { inTransaction } from '../store/transaction.js';
import { refreshStoredMetrics, staleMetrics, type StaleMetrics } from './metrics-refresh.js';
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
}

// Far below both dialects' bound-parameter limits (SQLite 32766, PostgreSQL 65535) at 22 columns a row.
const ROWS_PER_STATEMENT = 500;

const chunks = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
const keyOf = (network: string, remoteId: string) => `${network}\u0000${remoteId}`;

/**
 * Normalizes, dedupes and stores one batch, and puts it in its columns, in one transaction.
 * Dedupe is the unique key (org, network, remote id): an item seen by several streams or
 * accounts of the org is stored once; the full-text index is kept by the store (trigger or GIN).
 * A stored item keeps its first-seen version, except its metrics, which follow the newest poll.
 */
export async function storeIngestedBatch(db: Kysely<Database>, batch: IngestBatch): Promise<IngestResult> {
  const unique = new Map<string, StreamItemRow>();
  for (const item of batch.items) {
    const row = toStoredItem(item, batch.fetchedAt);
    unique.set(keyOf(row.network, row.remote_id), row);
  }
  if (unique.size === 0) return { newItemIds: [], memberships: [], refreshedItemIds: [] };
  return inTransaction(db, async (tx) => {
    const idsByKey = new Map<string, { id: string; createdAt: string }>();
    const newItemIds: string[] = [];
    const stale: StaleMetrics[] = [];
    for (const part of chunks([...unique.values()], ROWS_PER_STATEMENT)) {
      const inserted = await tx
        .insertInto('stream_items')
        .values(part.map((row) => ({ ...row, id: newId(), org_id: batch.orgId, channel_account_id: batch.channelAccountId, fetched_at: batch.fetchedAt })))
        .onConflict((oc) => oc.columns(['org_id', 'network', 'remote_id']).doNothing())
        .returning(['id', 'network', 'remote_id', 'created_at'])
        .execute();
      for (const row of inserted) {
        idsByKey.set(keyOf(row.network, row.remote_id), { id: row.id, createdAt: row.created_at });
        newItemIds.push(row.id);
      }
      const known = part.filter((row) => !idsByKey.has(keyOf(row.network, row.remote_id)));
      for (const network of new Set(known.map((row) => row.network))) {
        const existing = await tx
          .selectFrom('stream_items')
          .select(['id', 'network', 'remote_id', 'created_at', 'metrics'])
          .where('org_id', '=', batch.orgId)
          .where('network', '=', network)
          .where(
            'remote_id',
            'in',
            known.filter((row) => row.network === network).map((row) => row.remote_id),
          )
          .execute();
        for (const row of existing) idsByKey.set(keyOf(row.network, row.remote_id), { id: row.id, createdAt: row.created_at });
        stale.push(...staleMetrics(existing, (row) => unique.get(keyOf(row.network, row.remote_id))?.metrics));
      }
    }
    const refreshedItemIds = await refreshStoredMetrics(tx, stale);
    const memberships: IngestResult['memberships'] = [];
    const rows = batch.columnIds.flatMap((columnId) => [...idsByKey.values()].map((item) => ({ org_id: batch.orgId, column_id: columnId, item_id: item.id, created_at: item.createdAt, read: 0, done: 0 })));
    for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
      const added = await tx
        .insertInto('column_items')
        .values(part)
        .onConflict((oc) => oc.columns(['column_id', 'item_id']).doNothing())
        .returning(['column_id', 'item_id'])
        .execute();
      for (const row of added) memberships.push({ columnId: row.column_id, itemId: row.item_id });
    }
    return { newItemIds, memberships, refreshedItemIds };
  });
}
