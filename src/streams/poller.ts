import type { Selectable } from 'kysely';
import { SYSTEM_ACTOR } from '../channels/publishing-directory.js';
import { readChannelStream, type ChannelsEnvironment } from '../channels/service.js';
import type { ConnectorFailure, StreamKind } from '../channels/connector.js';
import type { Clock } from '../lib/clock.js';
import { skipLockedRows } from '../store/row-locks.js';
import type { Store } from '../store/store.js';
import { OrgScope } from '../teams/org-scope.js';
import { POLL_POLICIES, failureDelay, nextInterval } from './budgets.js';
import { storeIngestedBatch, type IngestResult } from './ingest.js';
import { columnsOfJob } from './jobs.js';
import type { StreamNotifier } from './live.js';
import { matchSavedSearches } from './search/saved-searches.js';
import type { IngestJobsTable } from './tables.js';
import { isWatched } from './watched-jobs.js';

export interface IngestOptions {
  store: Store;
  clock: Clock;
  env: ChannelsEnvironment;
  notifier: StreamNotifier;
  /** Written into each claimed job's lease, so a slow worker cannot overwrite another's result. */
  workerId: string;
  leaseMs?: number;
  batchSize?: number;
  /** Jobs polled at the same time by one worker. */
  concurrency?: number;
  /** Items asked for per poll. */
  pageSize?: number;
  /** Told of every batch of items new to the org (the inbox opens conversations from them); handles its own failures. */
  onNewItems?: (batch: NewItems) => Promise<void>;
}

/** Items one poll stored for the first time, and the stream they came from. */
export interface NewItems {
  orgId: string;
  channelAccountId: string;
  kind: StreamKind;
  itemIds: string[];
}

type IngestJob = Selectable<IngestJobsTable>;

/** Claims due jobs (and jobs whose lease expired with a dead worker). */
export async function claimDueJobs(options: IngestOptions): Promise<IngestJob[]> {
  const { store, clock, workerId } = options;
  const now = clock();
  const nowIso = now.toISOString();
  const due = skipLockedRows(
    store.dialect,
    store.db
      .selectFrom('ingest_jobs')
      .select('id')
      .where('next_poll_at', '<=', nowIso)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', nowIso)]))
      .orderBy('next_poll_at')
      .limit(options.batchSize ?? 20),
  );
  return store.db
    .updateTable('ingest_jobs')
    .set({ lease_owner: workerId, lease_expires_at: new Date(now.getTime() + (options.leaseMs ?? 120_000)).toISOString() })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

/** Reads the newest page of one job's stream, stores it, and schedules the next poll. */
export async function pollJob(options: IngestOptions, job: IngestJob): Promise<void> {
  const { store, clock, workerId } = options;
  const policy = POLL_POLICIES[job.network];
  const pageSize = options.pageSize ?? 50;
  const now = clock();
  const finish = (values: Partial<IngestJobsTable>) =>
    // Fenced by the lease: a worker that lost it leaves the job to whoever claimed it next.
    store.db
      .updateTable('ingest_jobs')
      .set({ ...values, lease_owner: null, lease_expires_at: null, last_polled_at: now.toISOString() })
      .where('id', '=', job.id)
      .where('lease_owner', '=', workerId)
      .execute();
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

  // The budget window restarts once it has passed; a spent budget waits for the next window.
  const windowOpen = now.getTime() - Date.parse(job.budget_window_start) < policy.budget.windowMs;
  const used = windowOpen ? job.budget_used : 0;
  if (used >= policy.budget.requests) {
    await finish({ next_poll_at: new Date(Date.parse(job.budget_window_start) + policy.budget.windowMs).toISOString() });
    return;
  }
  const budget = { budget_window_start: windowOpen ? job.budget_window_start : now.toISOString(), budget_used: used + 1 };

  const scope = new OrgScope(store.db, job.org_id, SYSTEM_ACTOR, clock);
  let result;
  try {
    result = await readChannelStream(scope, options.env, job.channel_account_id, {
      kind: job.kind,
      ...(job.target ? { target: job.target } : {}),
      pollState: job.poll_state,
      limit: pageSize,
    });
  } catch (error) {
    result = { ok: false as const, failure: { kind: 'permanent' as const, message: (error as Error).message } };
  }
  if (!result.ok) {
    await finish({
      ...budget,
      next_poll_at: at(retryDelay(result.failure, policy, job.failures + 1)),
      last_error: result.failure.message,
      failures: job.failures + 1,
    });
    return;
  }
  const page = result.value;
  const columns = await store.db
    .selectFrom('stream_columns')
    .innerJoin('ingest_jobs', (join) => join.onTrue())
    .select('stream_columns.id')
    .where('ingest_jobs.id', '=', job.id)
    .where(columnsOfJob)
    .execute();
  const storePage = async (items: typeof page.items) => {
    const stored = await storeIngestedBatch(store.db, {
      orgId: job.org_id,
      channelAccountId: job.channel_account_id,
      items,
      columnIds: columns.map((c) => c.id),
      fetchedAt: now.toISOString(),
    });
    if (stored.newItemIds.length > 0)
      await options.onNewItems?.({ orgId: job.org_id, channelAccountId: job.channel_account_id, kind: job.kind, itemIds: stored.newItemIds });
    return stored;
  };
  const stored = await storePage(page.items);
  // The rest of a source read whole: on its first complete read, or when even the newest page was all new.
  const catchUp =
    policy.catchUp &&
    page.olderCursor &&
    (job.newest_remote_id === null || stored.newItemIds.length >= page.items.length) &&
    budget.budget_used < policy.budget.requests;
  let complete = true;
  let older: Pick<IngestResult, 'memberships' | 'refreshedItemIds' | 'reactedItemIds'> = { memberships: [], refreshedItemIds: [], reactedItemIds: [] };
  if (catchUp) {
    budget.budget_used++;
    const rest = await readChannelStream(scope, options.env, job.channel_account_id, {
      kind: job.kind,
      ...(job.target ? { target: job.target } : {}),
      cursor: page.olderCursor,
      limit: policy.catchUp!.limit,
    }).catch(() => null);
    complete = rest?.ok === true;
    if (rest?.ok) older = await storePage(rest.value.items);
  }
  const interval = nextInterval(policy, job.interval_ms, stored.memberships.length / Math.max(1, columns.length), pageSize);
  await finish({
    ...budget,
    // interval_ms keeps adapting while watched, so the job backs off again once nobody watches.
    interval_ms: interval,
    next_poll_at: at(isWatched(job, now) ? policy.minMs : interval),
    // An incomplete read is read whole again next time: no validators (a 304 would hide the rest), no newest item.
    poll_state: complete ? (page.pollState ?? job.poll_state) : null,
    newest_remote_id: complete ? (page.items[0]?.remoteId ?? job.newest_remote_id) : job.newest_remote_id,
    last_error: null,
    failures: 0,
  });
  // Saved searches hold no memberships: their new items are found by matching, for live events only.
  const searched = await matchSavedSearches(store.db, store.dialect, job.org_id, stored.newItemIds);
  const arrived = [...stored.memberships, ...searched];
  if (arrived.length > 0) await options.notifier.notify({ type: 'items', orgId: job.org_id, memberships: arrived });
  // Older entries read in catching up are no live news: they wait in the columns' scroll-back, and only the unread counts are told.
  // A saved search has no unread count (always 0), so only member columns are told.
  const unreadChanged = [...new Set([...stored.memberships, ...older.memberships].map((m) => m.columnId))];
  if (unreadChanged.length > 0) await options.notifier.notify({ type: 'unread', orgId: job.org_id, columnIds: unreadChanged });
  const refreshed = [...stored.refreshedItemIds, ...older.refreshedItemIds];
  if (refreshed.length > 0) await options.notifier.notify({ type: 'metrics', orgId: job.org_id, itemIds: refreshed });
  const reacted = [...stored.reactedItemIds, ...older.reactedItemIds];
  if (reacted.length > 0) await options.notifier.notify({ type: 'reactions', orgId: job.org_id, itemIds: reacted });
}

/** Rate limits are honoured to the millisecond; other failures back off; auth waits for the user. */
function retryDelay(failure: ConnectorFailure, policy: (typeof POLL_POLICIES)[keyof typeof POLL_POLICIES], failures: number): number {
  switch (failure.kind) {
    case 'rate_limited':
      return Math.max(failure.retryAfterMs, policy.minMs);
    case 'transient':
      return Math.max(failure.retryAfterMs ?? 0, failureDelay(policy, failures));
    case 'auth':
    case 'permanent':
      return policy.maxMs;
  }
}

/** One round: claim a batch and poll it with bounded concurrency. Returns how many were claimed. */
export async function ingestDueJobs(options: IngestOptions): Promise<number> {
  const claimed = await claimDueJobs(options);
  const queue = [...claimed];
  const lanes = Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await pollJob(options, job);
  });
  await Promise.all(lanes);
  return claimed.length;
}
