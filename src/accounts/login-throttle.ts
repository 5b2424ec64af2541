import type { Kysely } from 'kysely';
import { isoNow, type Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/database.js';

/**
 * Failed logins are rows in the database (not process memory), so the limits hold across
 * restarts and across several server processes. A locked-out caller gets 429 with
 * Retry-After even when the password is right: that is what stops guessing.
 */
export interface LoginThrottlePolicy {
  /** Failures per account inside the window before the account is locked. */
  accountLimit: number;
  /** Failures per client IP inside the window (credential stuffing spreads over accounts). */
  ipLimit: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = { accountLimit: 5, ipLimit: 20, windowMs: 15 * 60_000 };

export interface Lockout {
  scope: 'account' | 'ip';
  retryAfterSeconds: number;
}

export async function checkLockout(
  db: Kysely<Database>,
  clock: Clock,
  policy: LoginThrottlePolicy,
  keys: { account: string; ip: string },
): Promise<Lockout | null> {
  const since = new Date(clock().getTime() - policy.windowMs).toISOString();
  for (const [scope, key, limit] of [
    ['ip', keys.ip, policy.ipLimit],
    ['account', keys.account, policy.accountLimit],
  ] as const) {
    const failures = await db
      .selectFrom('login_failures')
      .select('at')
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    if (failures.length >= limit) {
      // Locked until the oldest of the last `limit` failures leaves the window.
      const oldest = Date.parse(failures[failures.length - 1]!.at);
      const retryAfterMs = oldest + policy.windowMs - clock().getTime();
      return { scope, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
  }
  return null;
}

export async function recordFailure(db: Kysely<Database>, clock: Clock, keys: { account: string; ip: string }): Promise<void> {
  const at = isoNow(clock);
  await db
    .insertInto('login_failures')
    .values([
      { id: newId(), scope: 'account', key: keys.account, at },
      { id: newId(), scope: 'ip', key: keys.ip, at },
    ])
    .execute();
}

/** A successful login forgives the account's failures (not the IP's: that one may be stuffing). */
export async function clearAccountFailures(db: Kysely<Database>, account: string): Promise<void> {
  await db.deleteFrom('login_failures').where('scope', '=', 'account').where('key', '=', account).execute();
}

export async function pruneLoginFailures(db: Kysely<Database>, clock: Clock, policy: LoginThrottlePolicy): Promise<void> {
  const before = new Date(clock().getTime() - policy.windowMs).toISOString();
  await db.deleteFrom('login_failures').where('at', '<=', before).execute();
}
