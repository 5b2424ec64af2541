import ipaddr from 'ipaddr.js';
import type { Kysely } from 'kysely';
import { isoNow, type Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/database.js';

/**
 * Failed password checks are rows in the database (not process memory), so the limits hold
 * across restarts and across several server processes.
 *
 * Refusals are per client address: one address may make a few guesses at one account, and a
 * few more over all accounts. An account itself is never refused, only slowed down once it
 * has many failures from many addresses: refusing it would hand any attacker a button that
 * locks the real user out.
 */
export interface LoginThrottlePolicy {
  /** Failures at one account from one client address before that address may not try that account. */
  pairLimit: number;
  /** Failures from one client address over all accounts (credential stuffing) before it may not try any. */
  addressLimit: number;
  /** Failures at one account, from any address, after which every attempt at it waits. */
  slowdownAfter: number;
  /** The first wait; it doubles with each further failure, up to `maxDelayMs`. */
  slowdownStepMs: number;
  maxDelayMs: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  pairLimit: 5,
  addressLimit: 20,
  slowdownAfter: 10,
  slowdownStepMs: 250,
  maxDelayMs: 4000,
  windowMs: 15 * 60_000,
};

export interface Lockout {
  scope: 'account_and_address' | 'address';
  retryAfterSeconds: number;
}

export interface ThrottleKeys {
  /** The normalized email, whether or not an account has it. */
  account: string;
  ip: string;
}

export type AttemptAdmission = { admitted: true; attemptId: string; delayMs: number } | { admitted: false; lockout: Lockout };

/**
 * The address a limit counts against: an IPv6 client usually holds a whole /64, so that is
 * one address here; an IPv4-mapped IPv6 address is its IPv4 address.
 */
export function throttleAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${(address as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}

/**
 * Admits a password check, or refuses it with a lockout. An admitted attempt is written as a
 * failure before the password is checked and only removed when it succeeds, so concurrent
 * guesses see each other: however many arrive at once, no more than the limit get checked.
 */
export async function admitAttempt(db: Kysely<Database>, clock: Clock, policy: LoginThrottlePolicy, keys: ThrottleKeys): Promise<AttemptAdmission> {
  const address = throttleAddress(keys.ip);
  // Refused callers cost a read, not a write.
  const before = await findLockout(db, clock, policy, keys.account, address, null);
  if (before) return { admitted: false, lockout: before };
  const attemptId = newId();
  await db
    .insertInto('login_failures')
    .values({ id: attemptId, account: keys.account, address, at: isoNow(clock) })
    .execute();
  const after = await findLockout(db, clock, policy, keys.account, address, attemptId);
  if (after) {
    await db.deleteFrom('login_failures').where('id', '=', attemptId).execute();
    return { admitted: false, lockout: after };
  }
  const { failures } = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('failures'))
    .where('account', '=', keys.account)
    .where('at', '>', windowStart(clock, policy))
    .where('id', '!=', attemptId)
    .executeTakeFirstOrThrow();
  return { admitted: true, attemptId, delayMs: slowdownFor(policy, Number(failures)) };
}

/** The wait before checking a password at an account with this many recent failures. */
export function slowdownFor(policy: LoginThrottlePolicy, failures: number): number {
  if (failures < policy.slowdownAfter) return 0;
  return Math.min(policy.maxDelayMs, policy.slowdownStepMs * 2 ** (failures - policy.slowdownAfter));
}

/** The right password forgives this address's failures at this account; other addresses stay counted. */
export async function forgiveAddress(db: Kysely<Database>, keys: ThrottleKeys): Promise<void> {
  await db.deleteFrom('login_failures').where('account', '=', keys.account).where('address', '=', throttleAddress(keys.ip)).execute();
}

/** Someone proved control of the account (a reset link, the operator): nothing holds it back any more. */
export async function clearAccountThrottling(db: Kysely<Database>, account: string): Promise<void> {
  await db.deleteFrom('login_failures').where('account', '=', account).execute();
}

export async function pruneLoginFailures(db: Kysely<Database>, clock: Clock, policy: LoginThrottlePolicy): Promise<void> {
  await db.deleteFrom('login_failures').where('at', '<=', windowStart(clock, policy)).execute();
}

const windowStart = (clock: Clock, policy: LoginThrottlePolicy): string => new Date(clock().getTime() - policy.windowMs).toISOString();

async function findLockout(
  db: Kysely<Database>,
  clock: Clock,
  policy: LoginThrottlePolicy,
  account: string,
  address: string,
  ownAttempt: string | null,
): Promise<Lockout | null> {
  for (const [scope, limit] of [
    ['address', policy.addressLimit],
    ['account_and_address', policy.pairLimit],
  ] as const) {
    let query = db.selectFrom('login_failures').select('at').where('address', '=', address).where('at', '>', windowStart(clock, policy));
    if (scope === 'account_and_address') query = query.where('account', '=', account);
    if (ownAttempt) query = query.where('id', '!=', ownAttempt);
    const failures = await query.orderBy('at', 'desc').limit(limit).execute();
    if (failures.length >= limit) {
      // Refused until the oldest of the last `limit` failures leaves the window.
      const retryAfterMs = Date.parse(failures[failures.length - 1]!.at) + policy.windowMs - clock().getTime();
      return { scope, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
  }
  return null;
}
