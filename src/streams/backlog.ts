import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/**
 * The backlog rule: an item created before a column was added was never news to its reader, so it
 * enters that column read (ingest.ts) and is announced read there (items.ts, saved searches too).
 */

/** When each column was added, in ms since the epoch. */
export async function columnsAddedAt(db: Kysely<Database>, orgId: string, columnIds: string[]): Promise<Map<string, number>> {
  if (columnIds.length === 0) return new Map();
  const rows = await db.selectFrom('stream_columns').select(['id', 'created_at']).where('org_id', '=', orgId).where('id', 'in', columnIds).execute();
  return new Map(rows.map((row) => [row.id, Date.parse(row.created_at)]));
}

/** Whether an item created at `createdAt` (ms) is backlog for a column added at `addedAt` (ms; unknown: not). */
export const isBacklog = (createdAt: number, addedAt: number | undefined): boolean => createdAt < (addedAt ?? Number.NEGATIVE_INFINITY);
