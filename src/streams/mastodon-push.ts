import type { FastifyBaseLogger } from 'fastify';
import { mastodonCredentialsSchema } from '../channels/mastodon/credentials.js';
import type { MastodonStreamConnection } from '../channels/mastodon/streaming.js';
import { channelForWebhook, sealedCredentialsOf, type ChannelsEnvironment } from '../channels/service.js';
import type { StreamKind } from '../channels/connector.js';
import type { Clock } from '../lib/clock.js';
import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import type { Store } from '../store/store.js';

/**
 * Push for Mastodon mentions (docs/streams.md, "Push"): every Mastodon channel with a mentions or
 * notifications job gets one connection to its instance's streaming API. A notification that
 * brings an item to one of those streams makes the job due now and wakes the ingest worker, so the
 * item comes through the one ingest path (dedupe, storage, live events) within a moment instead of
 * at the next poll. Polling stays as the fallback while a stream is down; every (re)connect makes
 * the account's jobs due once, the catch-up for whatever arrived while it was down. Items are
 * deduplicated by the store, so one seen by both the catch-up and a push is stored once.
 */
export interface MastodonPushOptions {
  store: Store;
  clock: Clock;
  /** Opens the sealed credentials; its fetch (SSRF-guarded) reads where each instance streams. */
  env: ChannelsEnvironment;
  /** Judges the streaming host's addresses, as the fetch does. */
  policy: AddressPolicy;
  /** Wakes the ingest worker (RunningJobLoop.wake). */
  wake: () => void;
  logger?: FastifyBaseLogger | undefined;
  /** How often the set of accounts to stream is re-read. */
  refreshMs?: number;
  /** Waits before reconnecting one account: doubles from minimum to maximum while it keeps failing. */
  reconnectMs?: { min: number; max: number };
}

export interface MastodonPush {
  /** True while the channel's stream is open. */
  isConnected(channelAccountId: string): boolean;
  stop(): Promise<void>;
}

interface AccountStream {
  /** The sealed credentials it was opened with: a reconnected channel gets a new stream. */
  sealed: string;
  connection: MastodonStreamConnection | null;
  open: boolean;
  failures: number;
  timer?: NodeJS.Timeout;
  closed: boolean;
}

const PUSHED_KINDS: StreamKind[] = ['mentions', 'notifications'];
/** A kick whose job no poll has started after is given up after this long (the job was removed, or keeps failing). */
const KICK_GIVE_UP_MS = 60_000;

export function startMastodonPush(options: MastodonPushOptions): MastodonPush {
  const { store, clock, logger } = options;
  const refreshMs = options.refreshMs ?? 5_000;
  const reconnect = options.reconnectMs ?? { min: 1_000, max: 60_000 };
  const streams = new Map<string, AccountStream>();
  /** Jobs made due, by when: a poll already under way when the push came may have read too early, so they are kicked again until a poll starts after it. */
  const kicked = new Map<string, number>();
  let stopped = false;
  let work = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    work = work.then(task).catch((error: unknown) => logger?.warn({ err: error }, 'mastodon push: handling an event failed'));
  };

  const jobsOf = (channelAccountId: string, kinds: StreamKind[]) =>
    store.db
      .selectFrom('ingest_jobs')
      .select('id')
      .where('network', '=', 'mastodon')
      .where('channel_account_id', '=', channelAccountId)
      .where('kind', 'in', kinds)
      .execute();

  /** Makes jobs due now; never earlier than they are already due. */
  const makeDue = async (jobIds: string[]) => {
    if (jobIds.length === 0) return;
    const now = clock();
    await store.db
      .updateTable('ingest_jobs')
      .set({ next_poll_at: now.toISOString() })
      .where('id', 'in', jobIds)
      .where('next_poll_at', '>', now.toISOString())
      .execute();
    options.wake();
  };

  const kick = async (channelAccountId: string, kinds: StreamKind[]) => {
    const jobs = await jobsOf(channelAccountId, kinds);
    const at = clock().getTime();
    for (const job of jobs) kicked.set(job.id, at);
    await makeDue(jobs.map((j) => j.id));
  };

  /** Done once a poll started after the kick; a job whose lease ended without one is made due again. */
  const settle = async () => {
    if (kicked.size === 0) return;
    const now = clock();
    const rows = await store.db
      .selectFrom('ingest_jobs')
      .select(['id', 'last_polled_at', 'lease_expires_at', 'next_poll_at'])
      .where('id', 'in', [...kicked.keys()])
      .execute();
    const found = new Map(rows.map((r) => [r.id, r]));
    const again: string[] = [];
    for (const [jobId, at] of kicked) {
      const job = found.get(jobId);
      if (!job || (job.last_polled_at !== null && Date.parse(job.last_polled_at) >= at) || now.getTime() - at > KICK_GIVE_UP_MS) {
        kicked.delete(jobId);
        continue;
      }
      const leased = job.lease_expires_at !== null && Date.parse(job.lease_expires_at) > now.getTime();
      if (!leased && Date.parse(job.next_poll_at) > now.getTime()) again.push(jobId);
    }
    await makeDue(again);
  };

  const connect = (channelAccountId: string, stream: AccountStream) => {
    if (stopped || stream.closed) return;
    const retry = (reason: string) => {
      stream.open = false;
      stream.connection = null;
      if (stopped || stream.closed) return;
      stream.failures++;
      const wait = Math.min(reconnect.max, reconnect.min * 2 ** Math.min(stream.failures - 1, 16));
      logger?.warn({ channelAccountId, reason, retryInMs: wait }, 'mastodon push: stream lost; polling carries on until it is back');
      stream.timer = setTimeout(() => connect(channelAccountId, stream), wait);
    };
    void (async () => {
      const channel = await channelForWebhook(store.db, options.env, 'mastodon', channelAccountId);
      const credentials = mastodonCredentialsSchema.safeParse(channel?.credentials);
      if (!credentials.success) return retry('the stored credentials do not open');
      // Loaded with the first Mastodon channel: its WebSocket client (undici) and status parsing are
      // ~1 MB of code, and ~4 MB of idle RSS, that an instance without Mastodon never runs.
      const { openMastodonStream, streamingBase, streamKindsOf } = await import('../channels/mastodon/streaming.js');
      const base = await streamingBase(credentials.data.instanceUrl, options.env.fetch);
      if (stopped || stream.closed) return;
      stream.connection = openMastodonStream(base, credentials.data, options.policy, {
        onOpen: () => {
          stream.open = true;
          stream.failures = 0;
          logger?.info({ channelAccountId, streaming: base.origin }, 'mastodon push: stream open');
          // Whatever arrived while the stream was down is read now, by polling.
          serially(() => kick(channelAccountId, PUSHED_KINDS));
        },
        onNotification: (notification) => {
          const kinds = streamKindsOf(notification.type);
          if (kinds.length > 0) serially(() => kick(channelAccountId, kinds));
        },
        onClose: retry,
      });
    })().catch((error: unknown) => retry((error as Error).message));
  };

  const close = (channelAccountId: string) => {
    const stream = streams.get(channelAccountId);
    if (!stream) return;
    stream.closed = true;
    clearTimeout(stream.timer);
    stream.connection?.close();
    streams.delete(channelAccountId);
  };

  /** Opens a stream for every account with a pushed job, and closes those without one. */
  const refresh = async () => {
    const rows = await store.db
      .selectFrom('ingest_jobs')
      .select('channel_account_id')
      .distinct()
      .where('network', '=', 'mastodon')
      .where('kind', 'in', PUSHED_KINDS)
      .execute();
    const wanted = await sealedCredentialsOf(
      store.db,
      rows.map((r) => r.channel_account_id),
    );
    for (const [id, stream] of streams) if (wanted.get(id) !== stream.sealed) close(id);
    for (const [id, sealed] of wanted) {
      if (streams.has(id) || stopped) continue;
      const stream: AccountStream = { sealed, connection: null, open: false, failures: 0, closed: false };
      streams.set(id, stream);
      connect(id, stream);
    }
  };

  serially(refresh);
  const refresher = setInterval(() => serially(refresh), refreshMs);
  const settler = setInterval(() => serially(settle), 250);

  return {
    isConnected: (channelAccountId) => streams.get(channelAccountId)?.open ?? false,
    async stop() {
      stopped = true;
      clearInterval(refresher);
      clearInterval(settler);
      for (const id of [...streams.keys()]) close(id);
      await work;
    },
  };
}
