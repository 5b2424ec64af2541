import { sql, type Kysely } from 'kysely';
import type { ConnectorFailure, PublishRequest } from '../channels/connector.js';
import type { Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';
import { skipLockedRows } from '../store/row-locks.js';
import { inTransaction } from '../store/transaction.js';
import type { Store } from '../store/store.js';
import type { ChannelDirectory, ConnectorLookup } from '../channels/channel-directory.js';
import { MAX_ATTEMPTS, decideRetry, describeFailure } from './retry-policy.js';
import type { PostTargetsTable } from './tables.js';

export interface TargetFailure {
  orgId: string;
  postId: string;
  targetId: string;
  channelAccountId: string;
  authorUserId: string;
  network: string;
  kind: ConnectorFailure['kind'];
  reason: string;
}

export interface PublisherOptions {
  store: Store;
  clock: Clock;
  directory: ChannelDirectory;
  /** Written into each claimed row's lease, so a slow worker cannot overwrite another's result. */
  workerId: string;
  /** How long a claim is valid; a worker killed mid-publish loses its targets after this. */
  leaseMs?: number;
  batchSize?: number;
  /** Targets published at the same time by one worker. */
  concurrency?: number;
  /** Told once per target that failed for good (notifications, webhooks). */
  onFailure?: (failure: TargetFailure) => Promise<void>;
  /**
   * Rewrites a target's text just before it is sent (the analytics module's link shortening). It
   * must give the same text on every attempt of one target, since a retry may follow a send
   * whose answer was lost.
   */
  rewriteText?: (input: { orgId: string; postId: string; targetId: string; network: string; text: string }) => Promise<string>;
}

type ClaimedTarget = PostTargetsTable;

/**
 * Claims due targets (and targets whose lease expired with a dead worker) for this worker.
 * Expired leases go first: their targets were due before anything still waiting.
 */
export async function claimDueTargets(options: PublisherOptions): Promise<ClaimedTarget[]> {
  const batchSize = options.batchSize ?? 50;
  const expired = await claimFrom(options, 'expired_leases', batchSize);
  if (expired.length === batchSize) return expired;
  return [...expired, ...(await claimFrom(options, 'due', batchSize - expired.length))];
}

export type ClaimQueue = 'due' | 'expired_leases';

/**
 * The two queues a worker takes from, each walked in order through its own partial index
 * (migration 0240), so a claim reads the rows it takes and not every due or leased target: with
 * 10 000 targets due at one instant, claiming through one index on (state, next_attempt_at) and an
 * OR made each claim of 50 collect and sort all 10 000 on PostgreSQL. The states are literals, not
 * bound parameters: SQLite uses a partial index only when the query repeats its WHERE term as written.
 */
const QUEUES = {
  due: { holds: sql<boolean>`state in ('scheduled', 'retrying')`, orderedBy: 'next_attempt_at' },
  expired_leases: { holds: sql<boolean>`state = 'publishing'`, orderedBy: 'lease_expires_at' },
} as const;

/** The ids a claim from `queue` takes at `nowIso`, oldest first, locked against other workers on PostgreSQL. */
export function queuedTargetIds(store: Store, queue: ClaimQueue, nowIso: string, limit: number) {
  const { holds, orderedBy } = QUEUES[queue];
  return skipLockedRows(
    store.dialect,
    store.db.selectFrom('post_targets').select('id').where(holds).where(orderedBy, '<=', nowIso).orderBy(orderedBy).limit(limit),
  );
}

async function claimFrom(options: PublisherOptions, queue: ClaimQueue, limit: number): Promise<ClaimedTarget[]> {
  const { store, clock, workerId } = options;
  const now = clock();
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? 60_000)).toISOString();
  return store.db
    .updateTable('post_targets')
    .set((eb) => ({ state: 'publishing', lease_owner: workerId, lease_expires_at: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: nowIso }))
    .where('id', 'in', queuedTargetIds(store, queue, nowIso, limit))
    .returningAll()
    .execute();
}

async function finish(db: Kysely<Database>, target: ClaimedTarget, workerId: string, values: Partial<PostTargetsTable>): Promise<boolean> {
  // Fenced by the lease: if this worker lost it, the target belongs to whoever claimed it next.
  const result = await db
    .updateTable('post_targets')
    .set({ ...values, lease_owner: null, lease_expires_at: null })
    .where('id', '=', target.id)
    .where('lease_owner', '=', workerId)
    .where('state', '=', 'publishing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

interface PendingResult {
  target: ClaimedTarget;
  values: Partial<PostTargetsTable>;
  settle: (recorded: Promise<boolean>) => void;
}

/**
 * Results that lanes finish in the same moment are written in one transaction: one commit (one
 * fsync on SQLite) for several targets instead of one each. Each write is still its own fenced
 * UPDATE, and a lane hears "recorded" only after the commit that holds its result returned, so
 * nothing is reported that a crash could lose. While a commit is under way, the next results
 * gather for the one after it.
 */
export class ResultWriter {
  private pending: PendingResult[] = [];
  private busy = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly workerId: string,
  ) {}

  write(target: ClaimedTarget, values: Partial<PostTargetsTable>): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ target, values, settle: (recorded) => recorded.then(resolve, reject) });
      if (!this.busy) {
        this.busy = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const written = inTransaction(this.db, async (tx) => {
      const recorded: boolean[] = [];
      for (const result of batch) recorded.push(await finish(tx, result.target, this.workerId, result.values));
      return recorded;
    });
    batch.forEach((result, i) => result.settle(written.then((recorded) => recorded[i]!)));
    await written.catch(() => {});
    if (this.pending.length) setImmediate(() => void this.flush());
    else this.busy = false;
  }
}

/**
 * Extends this worker's lease right before sending, and says whether it still holds the target.
 * A batch may take longer than one lease; without this, a second worker could take over a target
 * this one is about to send, and a network without idempotency keys (X) could see it twice.
 */
async function renewLease(options: PublisherOptions, target: ClaimedTarget): Promise<boolean> {
  const now = options.clock();
  const leaseMs = options.leaseMs ?? 60_000;
  // Most targets are sent soon after their claim: skip the write (an fsync on SQLite) while at
  // least half the lease is left, which outlasts any single publish call.
  if (target.lease_expires_at && Date.parse(target.lease_expires_at) - now.getTime() > leaseMs / 2) return true;
  const result = await options.store.db
    .updateTable('post_targets')
    .set({ lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', target.id)
    .where('lease_owner', '=', options.workerId)
    .where('state', '=', 'publishing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Connectors opened once per round and shared by its targets: one login and one key derivation per account, not per post. */
export type ConnectorCache = Map<string, Promise<ConnectorLookup>>;

function connectorFor(options: PublisherOptions, cache: ConnectorCache, target: ClaimedTarget, authorUserId: string): Promise<ConnectorLookup> {
  const key = `${target.org_id}\n${target.channel_account_id}\n${authorUserId}`;
  let lookup = cache.get(key);
  if (!lookup) {
    lookup = options.directory.connectorFor(target.org_id, target.channel_account_id, authorUserId);
    cache.set(key, lookup);
  }
  return lookup;
}

function parseRef(json: string | null): Record<string, string | null | undefined> | undefined {
  return json ? (JSON.parse(json) as Record<string, string | null | undefined>) : undefined;
}

export async function publishTarget(
  options: PublisherOptions,
  target: ClaimedTarget,
  connectors: ConnectorCache = new Map(),
  results = new ResultWriter(options.store.db, options.workerId),
): Promise<void> {
  const { store, clock } = options;
  const post = await store.db.selectFrom('posts').select(['author_user_id', 'reply_to', 'quote_of']).where('id', '=', target.post_id).executeTakeFirst();
  const fail = async (failure: ConnectorFailure) => {
    const outcome = decideRetry(failure, target.attempts);
    const now = clock();
    const reason = describeFailure(failure);
    if (outcome.retry) {
      await results.write(target, {
        state: 'retrying',
        next_attempt_at: new Date(now.getTime() + outcome.delayMs).toISOString(),
        failure_kind: failure.kind,
        failure_reason: reason,
        updated_at: now.toISOString(),
      });
      return;
    }
    const final = failure.kind === 'transient' || failure.kind === 'rate_limited' ? `${reason} (gave up after ${MAX_ATTEMPTS} attempts)` : reason;
    const recorded = await results.write(target, {
      state: 'failed',
      next_attempt_at: null,
      failure_kind: failure.kind,
      failure_reason: final,
      updated_at: now.toISOString(),
    });
    if (recorded && post) {
      await options.onFailure?.({
        orgId: target.org_id,
        postId: target.post_id,
        targetId: target.id,
        channelAccountId: target.channel_account_id,
        authorUserId: post.author_user_id,
        network: target.network,
        kind: failure.kind,
        reason: final,
      });
    }
  };
  if (!post) return fail({ kind: 'permanent', message: 'The post was deleted' });

  const lookup = await connectorFor(options, connectors, target, post.author_user_id);
  if (!lookup.ok) return fail({ kind: 'auth', message: lookup.reason });
  const { connector } = lookup;

  const replyTo = parseRef(post.reply_to);
  const quote = parseRef(post.quote_of);
  const media = await store.db
    .selectFrom('post_media')
    .select(['mime_type', 'data', 'alt'])
    .where('org_id', '=', target.org_id)
    .where('post_id', '=', target.post_id)
    .orderBy('position')
    .execute();
  let text = target.body;
  if (options.rewriteText) {
    try {
      text = await options.rewriteText({ orgId: target.org_id, postId: target.post_id, targetId: target.id, network: target.network, text });
    } catch (error) {
      // The store hiccuped while making short links: retry later rather than send the long links.
      return fail({ kind: 'transient', message: `Could not shorten the post's links: ${(error as Error).message}` });
    }
  }
  const request: PublishRequest = {
    idempotencyKey: target.idempotency_key,
    text,
    attempt: target.attempts,
    ...(replyTo?.remoteId
      ? {
          replyTo: {
            remoteId: replyTo.remoteId,
            cid: replyTo.cid ?? null,
            ...(replyTo.rootRemoteId ? { rootRemoteId: replyTo.rootRemoteId, rootCid: replyTo.rootCid ?? null } : {}),
            ...(replyTo.privateTo ? { privateTo: replyTo.privateTo } : {}),
          },
        }
      : {}),
    ...(quote?.remoteId ? { quote: { remoteId: quote.remoteId, cid: quote.cid ?? null } } : {}),
    ...(media.length ? { images: media.map((m) => ({ data: new Uint8Array(Buffer.from(m.data, 'base64')), mimeType: m.mime_type, alt: m.alt })) } : {}),
  };
  if (!(await renewLease(options, target))) return;
  let result;
  try {
    result = await connector.publish(request);
  } catch (error) {
    // A connector bug or an unexpected network error: retryable, since the key makes a retry safe.
    result = { ok: false as const, failure: { kind: 'transient' as const, message: (error as Error).message } };
  }
  if (!result.ok) return fail(result.failure);
  const now = clock().toISOString();
  await results.write(target, {
    state: 'published',
    remote_id: result.value.remoteId,
    remote_cid: result.value.cid ?? null,
    remote_url: result.value.url,
    published_at: now,
    next_attempt_at: null,
    failure_kind: null,
    failure_reason: null,
    updated_at: now,
  });
}

/** Claims taken in one round at most, so `stop()` never waits on an endless burst. */
const MAX_CLAIMS_PER_ROUND = 20;

/**
 * One round: claim a batch and publish it with bounded concurrency; while batches come back full,
 * the next is claimed as soon as fewer targets are queued than there are lanes, so no lane idles
 * waiting for the slowest target of a batch. Returns how many were claimed.
 */
export async function publishDueTargets(options: PublisherOptions): Promise<number> {
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 8;
  const connectors: ConnectorCache = new Map();
  const results = new ResultWriter(options.store.db, options.workerId);
  const queue: ClaimedTarget[] = [];
  let claimed = 0;
  let claims = 0;
  let more = true;
  let claimError: unknown = null;
  let claiming: Promise<void> | null = null;
  const claim = (): Promise<void> =>
    (claiming ??= claimDueTargets(options)
      .then(
        (batch) => {
          claims++;
          claimed += batch.length;
          queue.push(...batch);
          more = batch.length === batchSize && claims < MAX_CLAIMS_PER_ROUND;
        },
        (error: unknown) => {
          // Targets already claimed are still published; the loop then backs off and retries.
          claimError = error;
          more = false;
        },
      )
      .finally(() => {
        claiming = null;
      }));
  await claim();
  const lane = async () => {
    for (;;) {
      if (more && queue.length < concurrency) void claim();
      const target = queue.shift();
      if (target) await publishTarget(options, target, connectors, results);
      else if (claiming) await claiming;
      else return;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(queue.length, 1)) }, lane));
  if (claimError) throw claimError;
  return claimed;
}
