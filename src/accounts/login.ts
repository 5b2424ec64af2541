import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';
import { checkLockout, clearAccountFailures, recordFailure, type Lockout, type LoginThrottlePolicy } from './login-throttle.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './passwords.js';
import { normalizeEmail, presentUser, type UserView } from './users.js';

export type LoginResult = { ok: true; user: UserView } | { ok: false; reason: 'invalid_credentials' } | { ok: false; reason: 'locked'; lockout: Lockout };

/** Checks a password under the brute-force policy; the caller turns the result into a session or an error. */
export async function attemptLogin(
  db: Kysely<Database>,
  clock: Clock,
  policy: LoginThrottlePolicy,
  input: { email: string; password: string; ip: string },
): Promise<LoginResult> {
  const keys = { account: normalizeEmail(input.email), ip: input.ip };
  const lockout = await checkLockout(db, clock, policy, keys);
  if (lockout) return { ok: false, reason: 'locked', lockout };
  const user = await db.selectFrom('users').selectAll().where('email', '=', keys.account).executeTakeFirst();
  const valid = await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !valid) {
    await recordFailure(db, clock, keys);
    return { ok: false, reason: 'invalid_credentials' };
  }
  await clearAccountFailures(db, keys.account);
  return { ok: true, user: presentUser(user) };
}
