import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Network, StreamKind } from '../channels/connector.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import type { OrgScope } from '../teams/org-scope.js';
import { POLL_POLICIES } from './budgets.js';

/** A feed channel has one stream whatever the column's target says (the URL is the channel). */
export const jobTarget = (kind: StreamKind, target: string | null): string => (kind === 'feed' ? '' : (target ?? ''));

/** Columns fed by the ingest job of the outer query. */
export const columnsOfJob = (eb: ExpressionBuilder<Database, 'ingest_jobs' | 'stream_columns'>) =>
  eb.and([
    eb('stream_columns.org_id', '=', eb.ref('ingest_jobs.org_id')),
    eb('stream_columns.channel_account_id', '=', eb.ref('ingest_jobs.channel_account_id')),
    eb('stream_columns.kind', '=', eb.ref('ingest_jobs.kind')),
    eb.or([eb('stream_columns.kind', '=', 'feed'), eb(sql`coalesce(stream_columns.target, '')`, '=', eb.ref('ingest_jobs.target'))]),
  ]);

/** One job per channel × kind × target; a new column makes its job due now so it fills at once. */
export async function ensureIngestJob(
  scope: OrgScope,
  source: { channelAccountId: string; network: Network; kind: StreamKind; target: string },
): Promise<void> {
  const { network } = source;
  const now = scope.now();
  await scope.shared
    .insertInto('ingest_jobs')
    .values({
      id: newId(),
      org_id: scope.orgId,
      channel_account_id: source.channelAccountId,
      network,
      kind: source.kind,
      target: source.target,
      next_poll_at: now,
      interval_ms: POLL_POLICIES[network].startMs,
      poll_state: null,
      newest_remote_id: null,
      budget_window_start: now,
      budget_used: 0,
      lease_owner: null,
      lease_expires_at: null,
      last_polled_at: null,
      last_error: null,
      failures: 0,
      watched_until: null,
    })
    .onConflict((oc) => oc.columns(['org_id', 'channel_account_id', 'kind', 'target']).doUpdateSet({ next_poll_at: now }))
    .execute();
}

/** The job of a stream read for another module (the inbox's mentions), left as it is when it exists already. */
export async function keepIngestJob(scope: OrgScope, source: { channelAccountId: string; network: Network; kind: StreamKind }): Promise<void> {
  const existing = await scope
    .selectFrom('ingest_jobs')
    .select('id')
    .where('channel_account_id', '=', source.channelAccountId)
    .where('kind', '=', source.kind)
    .where('target', '=', '')
    .executeTakeFirst();
  if (!existing) await ensureIngestJob(scope, { ...source, target: '' });
}

/** Jobs no column reads any more stop polling. */
export async function removeOrphanJobs(scope: OrgScope): Promise<void> {
  await scope
    .deleteFrom('ingest_jobs')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('stream_columns').select('stream_columns.id').where(columnsOfJob))))
    .execute();
}

/**
 * A webhook stored new events for these streams of a channel: their jobs are due now (never later
 * than they already were), so the inbox files them at the worker's next round, not the next poll.
 */
export async function pollStreamsNow(db: Kysely<Database>, channelAccountId: string, kinds: StreamKind[], now: Date): Promise<void> {
  if (kinds.length === 0) return;
  await db
    .updateTable('ingest_jobs')
    .set({ next_poll_at: now.toISOString() })
    .where('channel_account_id', '=', channelAccountId)
    .where('kind', 'in', kinds)
    .where('next_poll_at', '>', now.toISOString())
    .execute();
}
