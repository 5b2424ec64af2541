import { sql, type Kysely } from 'kysely';
import type { PostMetrics } from '../channels/connector.js';
import type { Database } from '../store/database.js';
import type { OrgScope } from '../teams/org-scope.js';

/** A stored item whose likes, reposts or replies the newest poll counts differently. */
export interface StaleMetrics {
  id: string;
  /** JSON of PostMetrics, as stored. */
  metrics: string;
}

// Two bound values per row in the CASE plus one in the IN list: far below both dialects' limits.
const ROWS_PER_STATEMENT = 500;

/**
 * The already-stored items of a batch whose metrics changed. A poll that brings no metrics for an
 * item (a stream that does not count them) keeps the stored ones rather than erasing them.
 */
export function staleMetrics<Row extends { id: string; metrics: string | null }>(
  stored: Row[],
  fetchedMetricsOf: (row: Row) => string | null | undefined,
): StaleMetrics[] {
  return stored.flatMap((row) => {
    const fetched = fetchedMetricsOf(row);
    return fetched != null && fetched !== row.metrics ? [{ id: row.id, metrics: fetched }] : [];
  });
}

/**
 * Writes the new metrics of already-stored items: one statement per 500 items, only the metrics
 * column (everything else keeps its first-seen version; the search index is not touched).
 * Returns the ids it updated.
 */
export async function refreshStoredMetrics(db: Kysely<Database>, stale: StaleMetrics[]): Promise<string[]> {
  for (let start = 0; start < stale.length; start += ROWS_PER_STATEMENT) {
    const part = stale.slice(start, start + ROWS_PER_STATEMENT);
    await db
      .updateTable('stream_items')
      .set({
        metrics: sql<string>`case ${sql.ref('id')} ${sql.join(
          part.map((row) => sql`when ${row.id} then ${row.metrics}`),
          sql` `,
        )} else ${sql.ref('metrics')} end`,
      })
      .where(
        'id',
        'in',
        part.map((row) => row.id),
      )
      .execute();
  }
  return stale.map((row) => row.id);
}

/** The current metrics of these items, for live events: one query, only items of the scope's org. */
export async function currentMetrics(scope: OrgScope, itemIds: string[]): Promise<{ id: string; metrics: PostMetrics }[]> {
  if (itemIds.length === 0) return [];
  const rows = await scope.selectFrom('stream_items').select(['id', 'metrics']).where('id', 'in', itemIds).where('metrics', 'is not', null).execute();
  return rows.map((row) => ({ id: row.id, metrics: JSON.parse(row.metrics!) as PostMetrics }));
}
