import type { FastifyBaseLogger } from 'fastify';
import { openFirehose, type AddressedPost, type FirehoseConnection } from '../channels/bluesky/firehose.js';
import { accountIdsWithRemoteIds, remoteIdsOf } from '../channels/org-accounts.js';
import type { Clock } from '../lib/clock.js';
import type { Store } from '../store/store.js';
import { forgetPushCursor, readPushCursor, savePushCursor } from './push-cursors.js';

/**
 * Push for Bluesky mentions (docs/streams.md, "Push"): a repository event stream is read for new
 * posts that mention, reply to or quote an account some org reads the mentions or notifications
 * of; such a post makes that account's job due now and wakes the ingest worker, so the item comes
 * through the one ingest path (dedupe, storage, live events) within a second or two instead of at
 * the next poll. Polling stays: it is the fallback while the stream is down and the catch-up
 * after it (the cursor is kept, and a reconnect also makes every pushed job due once); items
 * are deduplicated by the store, so a post seen by both paths is stored once. The cursor is saved
 * (push_cursors, at most once per `saveEveryMs`), so a restart resumes where the reader stopped;
 * a stream that refuses it is read from now on, and the catch-up poll covers the gap.
 */
export interface BlueskyPushOptions {
  store: Store;
  clock: Clock;
  /** wss://…/xrpc/com.atproto.sync.subscribeRepos, or a Jetstream …/subscribe URL. */
  url: string;
  /** Wakes the ingest worker (RunningJobLoop.wake). */
  wake: () => void;
  logger?: FastifyBaseLogger | undefined;
  /** How often the set of watched accounts is re-read. */
  refreshMs?: number;
  /**
   * The AppView indexes a post a moment after the stream carries it: a pushed job is polled again
   * every `retryMs` until the post is stored, for at most `settleMs` (then the poll takes over).
   */
  retryMs?: number;
  settleMs?: number;
  /** Waits before reconnecting: doubles from minimum to maximum while the stream keeps failing. */
  reconnectMs?: { min: number; max: number };
  /** How often the cursor is saved when it moved (never per event). */
  saveEveryMs?: number;
  /**
   * A saved cursor older than this is not resumed from: replaying hours of a relay would hold up
   * the live mentions behind it, and the catch-up poll on open reads the gap anyway.
   */
  resumeWithinMs?: number;
}

export interface BlueskyPush {
  /** True while the stream is open. */
  readonly connected: boolean;
  /** The last event read (seq or time_us); a reconnect, or a restart once saved, resumes after it. */
  readonly cursor: number | null;
  stop(): Promise<void>;
}

interface Pending {
  orgId: string;
  jobId: string;
  uri: string;
  since: number;
  lastKick: number;
}

const PUSHED_KINDS = ['mentions', 'notifications'] as const;

export function startBlueskyPush(options: BlueskyPushOptions): BlueskyPush {
  const { store, clock, logger } = options;
  const refreshMs = options.refreshMs ?? 5_000;
  const retryMs = options.retryMs ?? 700;
  const settleMs = options.settleMs ?? 15_000;
  const reconnect = options.reconnectMs ?? { min: 1_000, max: 60_000 };
  const saveEveryMs = options.saveEveryMs ?? 1_000;
  let unsaved = false;
  let watched = new Set<string>();
  let refreshedAt = 0;
  let cursor: number | null = null;
  let connection: FirehoseConnection | null = null;
  let connected = false;
  let stopped = false;
  let failures = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  const pending = new Map<string, Pending>();
  let work = Promise.resolve();
  // Events are handled one at a time, in order: a slow store never reorders or drops them.
  const serially = (task: () => Promise<void>) => {
    work = work.then(task).catch((error: unknown) => logger?.warn({ err: error }, 'bluesky push: handling an event failed'));
  };

  const refreshWatched = async () => {
    const rows = await store.db
      .selectFrom('ingest_jobs')
      .select('channel_account_id')
      .distinct()
      .where('network', '=', 'bluesky')
      .where('kind', 'in', PUSHED_KINDS)
      .execute();
    const remoteIds = await remoteIdsOf(
      store.db,
      rows.map((r) => r.channel_account_id),
    );
    watched = new Set(remoteIds.values());
    refreshedAt = clock().getTime();
  };

  /** Makes jobs due now; never earlier than they are already due. */
  const makeDue = async (jobIds: string[]) => {
    if (jobIds.length === 0) return;
    const now = clock().toISOString();
    await store.db.updateTable('ingest_jobs').set({ next_poll_at: now }).where('id', 'in', jobIds).where('next_poll_at', '>', now).execute();
    options.wake();
  };

  const onPost = async (post: AddressedPost) => {
    if (clock().getTime() - refreshedAt > refreshMs) await refreshWatched();
    const addressed = post.addressed.filter((did) => watched.has(did));
    if (addressed.length === 0) return;
    const accountIds = await accountIdsWithRemoteIds(store.db, 'bluesky', addressed);
    if (accountIds.length === 0) return;
    const jobs = await store.db
      .selectFrom('ingest_jobs')
      .select(['id', 'org_id'])
      .where('network', '=', 'bluesky')
      .where('kind', 'in', PUSHED_KINDS)
      .where('channel_account_id', 'in', accountIds)
      .execute();
    const now = clock().getTime();
    for (const job of jobs) pending.set(`${job.id} ${post.uri}`, { orgId: job.org_id, jobId: job.id, uri: post.uri, since: now, lastKick: now });
    logger?.debug({ uri: post.uri, jobs: jobs.length }, 'bluesky push: post addressed to a watched account');
    await makeDue(jobs.map((j) => j.id));
  };

  /** Pushed posts the AppView had not indexed when their job was polled: poll again until stored. */
  const settle = async () => {
    if (pending.size === 0) return;
    const now = clock().getTime();
    const kick: string[] = [];
    for (const [key, entry] of pending) {
      const stored = await store.db
        .selectFrom('stream_items')
        .select('id')
        .where('org_id', '=', entry.orgId)
        .where('network', '=', 'bluesky')
        .where('remote_id', '=', entry.uri)
        .executeTakeFirst();
      if (stored || now - entry.since > settleMs) {
        pending.delete(key);
        continue;
      }
      if (now - entry.lastKick < retryMs) continue;
      // Only once the job was polled since the last kick: a job still waiting is due already.
      const job = await store.db.selectFrom('ingest_jobs').select(['last_polled_at', 'next_poll_at']).where('id', '=', entry.jobId).executeTakeFirst();
      if (!job) {
        pending.delete(key);
        continue;
      }
      if (job.last_polled_at !== null && Date.parse(job.last_polled_at) >= entry.lastKick) {
        entry.lastKick = now;
        kick.push(entry.jobId);
      }
    }
    await makeDue([...new Set(kick)]);
  };
  const settler = setInterval(() => serially(settle), Math.max(100, Math.floor(retryMs / 2)));
  // Queued behind the posts read before it: a saved cursor never passes a post still being handled.
  const save = () => {
    if (!unsaved || cursor === null) return;
    unsaved = false;
    const at = cursor;
    serially(() => savePushCursor(store.db, options.url, at, clock().toISOString()));
  };
  const saver = setInterval(save, saveEveryMs);

  const connect = () => {
    if (stopped) return;
    connection = openFirehose(options.url, cursor, {
      onOpen: () => {
        connected = true;
        failures = 0;
        logger?.info({ url: options.url, cursor }, 'bluesky push: stream open');
        // Whatever arrived while the stream was down is read now, by polling (the cursor replays
        // only what the stream still holds).
        serially(async () => {
          await refreshWatched();
          const jobs = await store.db.selectFrom('ingest_jobs').select('id').where('network', '=', 'bluesky').where('kind', 'in', PUSHED_KINDS).execute();
          await makeDue(jobs.map((j) => j.id));
        });
      },
      onPost: (post) => serially(() => onPost(post)),
      onCursor: (next) => {
        cursor = next;
        unsaved = true;
      },
      onClose: (reason, refused) => {
        connected = false;
        connection = null;
        if (refused && cursor !== null) {
          // An outdated or future cursor is refused again at every reconnect: start from now; the catch-up poll on open covers the gap.
          logger?.warn({ reason, cursor }, 'bluesky push: the stream refused the cursor; reading from now on');
          cursor = null;
          unsaved = false;
          serially(() => forgetPushCursor(store.db, options.url));
        }
        if (stopped) return;
        failures++;
        const wait = Math.min(reconnect.max, reconnect.min * 2 ** Math.min(failures - 1, 16));
        logger?.warn({ reason, retryInMs: wait, cursor }, 'bluesky push: stream lost; polling carries on until it is back');
        reconnectTimer = setTimeout(connect, wait);
      },
    });
  };
  serially(async () => {
    try {
      cursor = await readPushCursor(store.db, options.url, new Date(clock().getTime() - (options.resumeWithinMs ?? 3_600_000)).toISOString());
    } finally {
      connect();
    }
  });

  return {
    get connected() {
      return connected;
    },
    get cursor() {
      return cursor;
    },
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      clearInterval(settler);
      clearInterval(saver);
      connection?.close();
      save();
      await work;
    },
  };
}
