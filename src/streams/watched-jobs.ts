import type { Selectable } from 'kysely';
import type { OrgScope } from '../teams/org-scope.js';
import { readableColumnIds } from './boards.js';
import { POLL_POLICIES } from './budgets.js';
import { columnsOfJob } from './jobs.js';
import type { IngestJobsTable } from './tables.js';

/** Three heartbeats of an open dashboard (events.ts): one lost heartbeat keeps the watch, closing the last tab ends it within a minute. */
export const WATCH_MS = 45_000;

/** A watched job polls at its policy's minimum interval (poller.ts). */
export const isWatched = (job: Pick<Selectable<IngestJobsTable>, 'watched_until'>, now: Date): boolean =>
  job.watched_until !== null && Date.parse(job.watched_until) > now.getTime();

/**
 * Marks the jobs feeding the columns this member can see as watched for WATCH_MS, and brings a
 * stale one's next poll forward, so an open dashboard is fresh within seconds; an unwatched one
 * keeps backing off and stays cheap. Called when a dashboard connects and on every heartbeat.
 */
export async function watchVisibleJobs(scope: OrgScope): Promise<void> {
  const columnIds = [...(await readableColumnIds(scope))];
  if (columnIds.length === 0) return;
  const jobs = await scope
    .selectFrom('ingest_jobs')
    .select(['id', 'network', 'next_poll_at', 'last_polled_at', 'budget_window_start', 'budget_used', 'failures'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('stream_columns')
          .select('stream_columns.id')
          .where((eb) => eb.and([columnsOfJob(eb), eb('stream_columns.id', 'in', columnIds)])),
      ),
    )
    .execute();
  if (jobs.length === 0) return;
  const now = Date.parse(scope.now());
  const iso = (ms: number) => new Date(ms).toISOString();
  await scope
    .updateTable('ingest_jobs')
    .set({ watched_until: iso(now + WATCH_MS) })
    .where(
      'id',
      'in',
      jobs.map((j) => j.id),
    )
    .execute();
  for (const job of jobs) {
    const soonest = soonestWatchedPoll(job, now);
    if (soonest === null || Date.parse(job.next_poll_at) <= soonest) continue;
    // Only if unchanged since read: a poll that finished meanwhile scheduled from its own, newer poll.
    // A job leased right now may be moved too: claims skip it until its lease ends, and its finish
    // overwrites this with its own schedule, which the next heartbeat brings forward again if needed.
    await scope
      .updateTable('ingest_jobs')
      .set({ next_poll_at: iso(soonest) })
      .where('id', '=', job.id)
      .where('next_poll_at', '=', job.next_poll_at)
      .execute();
  }
}

type WatchedJob = Pick<Selectable<IngestJobsTable>, 'network' | 'last_polled_at' | 'budget_window_start' | 'budget_used' | 'failures'>;

/** The soonest a watched job may poll: never within its policy minimum of the last poll, nor before a spent budget's window ends. */
function soonestWatchedPoll(job: WatchedJob, now: number): number | null {
  // A failing job keeps its backoff (a rate limit's Retry-After above all).
  if (job.failures > 0) return null;
  const policy = POLL_POLICIES[job.network];
  const afterLastPoll = job.last_polled_at === null ? now : Date.parse(job.last_polled_at) + policy.minMs;
  const windowEnd = Date.parse(job.budget_window_start) + policy.budget.windowMs;
  const budgetSpent = job.budget_used >= policy.budget.requests && windowEnd > now;
  return Math.max(now, afterLastPoll, budgetSpent ? windowEnd : now);
}
