import type { Kysely } from 'kysely';
import { isoIn, type Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';

/** A key answers the same for a day; after that the same key is a new request. */
export const KEY_LIFETIME_MS = 24 * 60 * 60_000;

/**
 * How long a reservation without an answer may stand before a repeat takes it over: the
 * request that made it has died (a crash, or an outage that also kept its release from being
 * written). Well above the slowest create (connecting a channel waits on the network, 15 s a call).
 */
export const ABANDONED_AFTER_MS = 2 * 60_000;

export interface StoredAnswer {
  status: number;
  contentType: string | null;
  /** Sealed (sealed-answer.ts). */
  body: string;
}

export type Reservation =
  /** This request holds the key now: run it, then finish or release. */
  { kind: 'reserved'; reservedAt: string } | { kind: 'answered'; requestHash: string; answer: StoredAnswer } | { kind: 'in_flight'; requestHash: string };

export interface KeyOwner {
  userId: string;
  key: string;
}

/**
 * Claims `key` for this request, or says what already holds it. The insert is the lock: of two
 * requests racing with one key, the store lets exactly one insert the row (on either dialect).
 */
export async function reserveKey(
  db: Kysely<Database>,
  clock: Clock,
  owner: KeyOwner,
  request: { requestHash: string; orgId: string | null },
): Promise<Reservation> {
  const now = isoIn(clock, 0);
  // An expired key is a new request: drop its row first, so the insert below can win.
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', owner.userId)
    .where('key', '=', owner.key)
    .where('reserved_at', '<', isoIn(clock, -KEY_LIFETIME_MS))
    .execute();
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      user_id: owner.userId,
      key: owner.key,
      scope_org_id: request.orgId,
      request_hash: request.requestHash,
      reserved_at: now,
      status: null,
      content_type: null,
      body: null,
    })
    .onConflict((conflict) => conflict.columns(['user_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { kind: 'reserved', reservedAt: now };

  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'reserved_at', 'status', 'content_type', 'body'])
    .where('user_id', '=', owner.userId)
    .where('key', '=', owner.key)
    .executeTakeFirst();
  // Pruned or released between the insert and this read: another request is about to take it.
  if (!row) return { kind: 'in_flight', requestHash: request.requestHash };
  if (row.status !== null)
    return { kind: 'answered', requestHash: row.request_hash, answer: { status: row.status, contentType: row.content_type, body: row.body ?? '' } };
  if (row.request_hash === request.requestHash && row.reserved_at < isoIn(clock, -ABANDONED_AFTER_MS)) {
    // Compare-and-set on the old reservation time: of two repeats, one takes it over.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ reserved_at: now })
      .where('user_id', '=', owner.userId)
      .where('key', '=', owner.key)
      .where('reserved_at', '=', row.reserved_at)
      .where('status', 'is', null)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { kind: 'reserved', reservedAt: now };
  }
  return { kind: 'in_flight', requestHash: row.request_hash };
}

/** Stores the first request's answer; only the reservation this request holds is written. */
export async function storeAnswer(db: Kysely<Database>, owner: KeyOwner, reservedAt: string, answer: StoredAnswer): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status: answer.status, content_type: answer.contentType, body: answer.body })
    .where('user_id', '=', owner.userId)
    .where('key', '=', owner.key)
    .where('reserved_at', '=', reservedAt)
    .where('status', 'is', null)
    .execute();
}

/** Gives the key back (the answer was one the client may retry): the next request with it runs. */
export async function releaseKey(db: Kysely<Database>, owner: KeyOwner, reservedAt: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', owner.userId)
    .where('key', '=', owner.key)
    .where('reserved_at', '=', reservedAt)
    .where('status', 'is', null)
    .execute();
}

/** Deletes every key older than its lifetime; returns how many. */
export async function pruneExpiredKeys(db: Kysely<Database>, clock: Clock): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('reserved_at', '<', isoIn(clock, -KEY_LIFETIME_MS)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
