import type { FastifyBaseLogger } from 'fastify';
import { DateTime } from 'luxon';
import { accountsWithAccountMetrics } from '../channels/measured-accounts.js';
import { isoNow, type Clock } from '../lib/clock.js';
import { startJobLoop, type RunningJobLoop } from '../lib/job-loop.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { publishedTargetsSince } from '../publishing/published-targets.js';
import { skipLockedRows } from '../store/row-locks.js';
import type { Store } from '../store/store.js';
import { METRICS_WINDOW_MS, nextPullAt } from './metrics-schedule.js';

export interface MetricsPullOptions {
  store: Store;
  clock: Clock;
  directory: ChannelDirectory;
  workerId: string;
  batchSize?: number;
  leaseMs?: number;
  logger?: FastifyBaseLogger | undefined;
}

/**
 * One round: note newly published targets, pull the metrics of those that are due (claimed with
 * a lease so several workers share the work), and take today's follower snapshot of every account
 * that has none yet. Returns how many targets it pulled.
 */
export async function pullDueMetrics(options: MetricsPullOptions): Promise<number> {
  await noteNewTargets(options);
  const pulled = await pullDueTargets(options);
  await snapshotFollowers(options);
  return pulled;
}

async function noteNewTargets({ store, clock }: MetricsPullOptions): Promise<void> {
  const now = clock();
  const since = new Date(now.getTime() - METRICS_WINDOW_MS).toISOString();
  const targets = await publishedTargetsSince(store.db, since, 1000);
  if (targets.length === 0) return;
  const known = new Set(
    (
      await store.db
        .selectFrom('target_metrics')
        .select('target_id')
        .where(
          'target_id',
          'in',
          targets.map((t) => t.targetId),
        )
        .execute()
    ).map((r) => r.target_id),
  );
  const fresh = targets.filter((t) => !known.has(t.targetId));
  if (fresh.length === 0) return;
  await store.db
    .insertInto('target_metrics')
    .values(
      fresh.map((t) => ({
        target_id: t.targetId,
        org_id: t.orgId,
        post_id: t.postId,
        channel_account_id: t.channelAccountId,
        network: t.network,
        remote_id: t.remoteId,
        remote_cid: t.remoteCid,
        published_at: t.publishedAt,
        likes: 0,
        reposts: 0,
        replies: 0,
        quotes: 0,
        views: null,
        // Due at once: the first pull tells whether the network reports metrics at all.
        next_pull_at: isoNow(clock),
      })),
    )
    .onConflict((oc) => oc.column('target_id').doNothing())
    .execute();
}

async function pullDueTargets(options: MetricsPullOptions): Promise<number> {
  const { store, clock, workerId } = options;
  const now = isoNow(clock);
  const leaseUntil = new Date(clock().getTime() + (options.leaseMs ?? 60_000)).toISOString();
  const due = skipLockedRows(
    store.dialect,
    store.db
      .selectFrom('target_metrics')
      .select('target_id')
      .where('next_pull_at', '<=', now)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]))
      .orderBy('next_pull_at')
      .limit(options.batchSize ?? 20),
  );
  await store.db.updateTable('target_metrics').set({ lease_owner: workerId, lease_expires_at: leaseUntil }).where('target_id', 'in', due).execute();
  const claimed = await store.db
    .selectFrom('target_metrics')
    .selectAll()
    .where('lease_owner', '=', workerId)
    .where('lease_expires_at', '=', leaseUntil)
    .execute();
  for (const row of claimed) {
    const lookup = await options.directory.connectorFor(row.org_id, row.channel_account_id);
    const release = { lease_owner: null, lease_expires_at: null };
    if (!lookup.ok || !lookup.connector.capabilities.postMetrics) {
      const reason = lookup.ok ? 'this network reports no post metrics' : lookup.reason;
      await store.db
        .updateTable('target_metrics')
        .set({ ...release, next_pull_at: null, last_error: reason })
        .where('target_id', '=', row.target_id)
        .where('lease_owner', '=', workerId)
        .execute();
      continue;
    }
    const result = await lookup.connector.postMetrics({ remoteId: row.remote_id, cid: row.remote_cid });
    const pulledAt = isoNow(clock);
    if (result.ok) {
      const m = result.value;
      await store.db
        .updateTable('target_metrics')
        .set({
          ...release,
          likes: m.likes,
          reposts: m.reposts,
          replies: m.replies,
          quotes: m.quotes,
          views: m.views,
          pulled_at: pulledAt,
          next_pull_at: nextPullAt(row.published_at, clock()),
          last_error: null,
        })
        .where('target_id', '=', row.target_id)
        .where('lease_owner', '=', workerId)
        .execute();
    } else {
      // A deleted post stops being pulled; a network hiccup waits for the next turn of the schedule.
      const stop = result.failure.kind === 'permanent' || result.failure.kind === 'auth';
      const retryAt =
        result.failure.kind === 'rate_limited'
          ? new Date(clock().getTime() + result.failure.retryAfterMs).toISOString()
          : nextPullAt(row.published_at, clock());
      await store.db
        .updateTable('target_metrics')
        .set({ ...release, next_pull_at: stop ? null : retryAt, last_error: result.failure.message.slice(0, 500) })
        .where('target_id', '=', row.target_id)
        .where('lease_owner', '=', workerId)
        .execute();
    }
  }
  return claimed.length;
}

/** One follower count per account per UTC day; the first round of a day takes it. */
async function snapshotFollowers({ store, clock, directory, logger }: MetricsPullOptions): Promise<void> {
  const day = DateTime.fromJSDate(clock(), { zone: 'utc' }).toISODate()!;
  const accounts = await accountsWithAccountMetrics(store.db);
  if (accounts.length === 0) return;
  const taken = new Set(
    (await store.db.selectFrom('follower_snapshots').select('channel_account_id').where('day', '=', day).execute()).map((r) => r.channel_account_id),
  );
  for (const account of accounts.filter((a) => !taken.has(a.channelAccountId))) {
    const lookup = await directory.connectorFor(account.orgId, account.channelAccountId);
    if (!lookup.ok || !lookup.connector.capabilities.accountMetrics) continue;
    const result = await lookup.connector.accountMetrics();
    if (!result.ok) {
      logger?.debug({ channelAccountId: account.channelAccountId, failure: result.failure }, 'follower count not read; next round tries again');
      continue;
    }
    await store.db
      .insertInto('follower_snapshots')
      .values({
        org_id: account.orgId,
        channel_account_id: account.channelAccountId,
        day,
        followers: result.value.followers,
        following: result.value.following,
        posts: result.value.posts,
        taken_at: isoNow(clock),
      })
      .onConflict((oc) => oc.columns(['channel_account_id', 'day']).doNothing())
      .execute();
  }
}

/** The metrics loop: a round a minute (sooner while there is a full batch due). */
export function startMetricsPuller(options: MetricsPullOptions & { pollMs?: number }): RunningJobLoop {
  const batchSize = options.batchSize ?? 20;
  return startJobLoop({
    name: 'analytics metrics',
    round: () => pullDueMetrics({ ...options, batchSize }),
    batchSize,
    pollMs: options.pollMs ?? 60_000,
    logger: options.logger,
  });
}
