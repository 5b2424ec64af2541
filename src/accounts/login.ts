import type { Kysely } from 'kysely';
import type { Clock, Delay } from '../lib/clock.js';
import type { Database } from '../store/database.js';
import { admitAttempt, forgiveAddress, type Lockout, type LoginThrottlePolicy, type ThrottleKeys } from './login-throttle.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './passwords.js';
import { normalizeEmail, presentUser, type UserView } from './users.js';

export type LoginResult = { ok: true; user: UserView } | { ok: false; reason: 'invalid_credentials' } | { ok: false; reason: 'locked'; lockout: Lockout };

export type PasswordCheck = { ok: true } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'locked'; lockout: Lockout };

/** What every password check runs under: signing in, and changing the password. */
export interface PasswordThrottle {
  db: Kysely<Database>;
  clock: Clock;
  policy: LoginThrottlePolicy;
  /** How the slowdown of a much-attacked account waits. */
  slowdown: Delay;
}

/** Runs `verify` under the brute-force policy: a refused caller's password is never checked. */
export async function checkPassword(throttle: PasswordThrottle, keys: ThrottleKeys, verify: () => Promise<boolean>): Promise<PasswordCheck> {
  const admission = await admitAttempt(throttle.db, throttle.clock, throttle.policy, keys);
  if (!admission.admitted) return { ok: false, reason: 'locked', lockout: admission.lockout };
  if (admission.delayMs > 0) await throttle.slowdown(admission.delayMs);
  // A wrong password leaves the admitted attempt in place as a failure.
  if (!(await verify())) return { ok: false, reason: 'wrong' };
  await forgiveAddress(throttle.db, keys);
  return { ok: true };
}

/** Checks an email and password; the caller turns the result into a session or an error. */
export async function attemptLogin(
  db: Kysely<Database>,
  clock: Clock,
  policy: LoginThrottlePolicy,
  input: { email: string; password: string; ip: string },
  slowdown: Delay,
): Promise<LoginResult> {
  const account = normalizeEmail(input.email);
  const user = await db.selectFrom('users').selectAll().where('email', '=', account).executeTakeFirst();
  // An unknown email costs the same hash as a known one, so timing does not tell which exist.
  const check = await checkPassword(
    { db, clock, policy, slowdown },
    { account, ip: input.ip },
    async () => (await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH)) && user !== undefined,
  );
  if (check.ok && user) return { ok: true, user: presentUser(user) };
  if (!check.ok && check.reason === 'locked') return check;
  return { ok: false, reason: 'invalid_credentials' };
}
