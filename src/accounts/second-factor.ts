import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { SealedBox } from '../lib/sealed-box.js';
import type { Database } from '../store/database.js';
import { admitAttempt, clearAccountThrottling, forgiveAddress, type Lockout, type LoginThrottlePolicy } from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import { spendRecoveryCode } from './recovery-codes.js';
import { acceptTotpCode } from './two-factor.js';
import { normalizeEmail } from './users.js';

/** A code from the authenticator app, or one of the recovery codes. */
export type SecondFactor = { code: string } | { recoveryCode: string };

/** Proof of identity for changing the sign-in itself (turning two-factor off, new recovery codes). */
export type IdentityProof = { password: string } | { code: string };

export type ProofCheck = { ok: true } | { ok: false; reason: 'wrong_password' | 'invalid_code' } | { ok: false; reason: 'locked'; lockout: Lockout };

/**
 * Wrong codes are throttled like wrong passwords, per address and per account, but on an account
 * counter of their own: a right password clears the password counter, and someone who knows the
 * password must not be able to reset the count of their code guesses with it.
 */
// Unlike passwords, codes are counted per account whatever the address: only someone who already
// has the password reaches this step, so refusing the account hands nobody a lockout button.
const codeThrottleKeys = (userId: string, _ip: string) => ({ account: `two-factor:${userId}`, ip: 'every-address' });

export async function checkSecondFactor(
  db: Kysely<Database>,
  clock: Clock,
  policy: LoginThrottlePolicy,
  box: SealedBox,
  input: { userId: string; ip: string; proof: SecondFactor },
): Promise<ProofCheck> {
  const keys = codeThrottleKeys(input.userId, input.ip);
  // An admitted attempt counts as a failure until the code is accepted (login-throttle.ts).
  const admission = await admitAttempt(db, clock, policy, keys);
  if (!admission.admitted) return { ok: false, reason: 'locked', lockout: admission.lockout };
  const accepted =
    'code' in input.proof
      ? await acceptTotpCode(db, clock, box, input.userId, input.proof.code)
      : await spendRecoveryCode(db, clock, input.userId, input.proof.recoveryCode);
  if (!accepted) return { ok: false, reason: 'invalid_code' };
  await clearAccountThrottling(db, keys.account);
  return { ok: true };
}

export async function confirmIdentity(
  db: Kysely<Database>,
  clock: Clock,
  policy: LoginThrottlePolicy,
  box: SealedBox,
  input: { user: { id: string; email: string }; ip: string; proof: IdentityProof },
): Promise<ProofCheck> {
  if ('code' in input.proof) return checkSecondFactor(db, clock, policy, box, { userId: input.user.id, ip: input.ip, proof: input.proof });
  const keys = { account: normalizeEmail(input.user.email), ip: input.ip };
  const admission = await admitAttempt(db, clock, policy, keys);
  if (!admission.admitted) return { ok: false, reason: 'locked', lockout: admission.lockout };
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', input.user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.proof.password, row.password_hash))) return { ok: false, reason: 'wrong_password' };
  await forgiveAddress(db, keys);
  return { ok: true };
}
