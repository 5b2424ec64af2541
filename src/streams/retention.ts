import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';
import type { OrgScope } from '../teams/org-scope.js';

/** Stored items older than this (by when Chorus fetched them) are pruned unless an org says otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;
const DAY = 86_400_000;
// Small deletes keep each write transaction short, so ingest and the API never wait long.
const DELETE_CHUNK = 2_000;

export async function retentionDays(scope: OrgScope): Promise<number> {
  const row = await scope.selectFrom('stream_settings').select('retention_days').executeTakeFirst();
  return row?.retention_days ?? DEFAULT_RETENTION_DAYS;
}

export async function setRetentionDays(scope: OrgScope, days: number): Promise<number> {
  const updated = await scope.updateTable('stream_settings').set({ retention_days: days }).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await scope.insertInto('stream_settings', { retention_days: days });
  await scope.audit('streams.retention_changed', { retentionDays: days });
  return days;
}

/**
 * Deletes every org's items fetched before its retention window (column memberships, states and
 * the search index go with them). Items are judged by fetch time, not post time, so an old
 * entry a feed still lists is not fetched, pruned and fetched again on every poll.
 */
export async function pruneExpiredItems(db: Kysely<Database>, clock: Clock): Promise<number> {
  const orgs = await db.selectFrom('stream_items').select('org_id').distinct().execute();
  const settings = new Map((await db.selectFrom('stream_settings').selectAll().execute()).map((s) => [s.org_id, s.retention_days]));
  let pruned = 0;
  for (const { org_id: orgId } of orgs) {
    const cutoff = new Date(clock().getTime() - (settings.get(orgId) ?? DEFAULT_RETENTION_DAYS) * DAY).toISOString();
    for (;;) {
      const expired = db.selectFrom('stream_items').select('id').where('org_id', '=', orgId).where('fetched_at', '<', cutoff).limit(DELETE_CHUNK);
      const result = await db.deleteFrom('stream_items').where('id', 'in', expired).executeTakeFirst();
      const count = Number(result.numDeletedRows);
      pruned += count;
      if (count < DELETE_CHUNK) break;
    }
  }
  return pruned;
}
