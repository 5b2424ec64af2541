import type { Kysely } from 'kysely';
import { DomainError } from '../lib/domain-error.js';
import { isoNow, type Clock } from '../lib/clock.js';
import { SealUnreadable, SealedBox } from '../lib/sealed-box.js';
import type { Database } from '../store/database.js';
import { inTransaction } from '../store/transaction.js';
import { replaceRecoveryCodes, unusedRecoveryCodes } from './recovery-codes.js';
import { matchingStep, newTotpSecret, totpUri } from './totp.js';
import type { Enrolment, TwoFactorStatus } from '../../core/api/accounts.js';

export type { Enrolment, TwoFactorStatus };

/**
 * Two-factor sign-in with an authenticator app. Enrolment is two steps: the server makes a
 * secret (sealed at rest with the instance key), the user proves their app has it with a first
 * code, and only then is the factor on and the recovery codes issued. Each accepted code moves
 * the user's last used time step forward in one conditional UPDATE, so a code (or an older one)
 * is never accepted twice, not even by two requests racing.
 */
export const twoFactorSecretBox = (secretKey: string): SealedBox => new SealedBox(secretKey, 'chorus/two-factor-secrets');

export const invalidCode = () => new DomainError('invalid_code', 'The code is wrong, expired or already used', 400);

export async function twoFactorStatus(db: Kysely<Database>, userId: string): Promise<TwoFactorStatus> {
  const row = await db.selectFrom('two_factor_credentials').select('enabled_at').where('user_id', '=', userId).executeTakeFirst();
  const enabledAt = row?.enabled_at ?? null;
  return { enabled: enabledAt !== null, enabledAt, recoveryCodesLeft: enabledAt ? await unusedRecoveryCodes(db, userId) : 0 };
}

/** One indexed lookup: the org-scope hook asks it on every request to an org that requires two factors. */
export async function hasTwoFactor(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('two_factor_credentials')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('enabled_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of these users, the ones with two-factor sign-in on. */
export async function usersWithTwoFactor(db: Kysely<Database>, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('two_factor_credentials').select('user_id').where('user_id', 'in', userIds).where('enabled_at', 'is not', null).execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Makes a new secret (replacing an unconfirmed one); refused while two-factor sign-in is on. */
export async function startEnrolment(db: Kysely<Database>, clock: Clock, box: SealedBox, user: { id: string; email: string }): Promise<Enrolment> {
  const secret = newTotpSecret();
  await inTransaction(db, async (tx) => {
    if (await hasTwoFactor(tx, user.id))
      throw new DomainError('two_factor_already_on', 'Two-factor sign-in is already on; turn it off first to set up another app', 409);
    await tx.deleteFrom('two_factor_credentials').where('user_id', '=', user.id).execute();
    await tx
      .insertInto('two_factor_credentials')
      .values({ user_id: user.id, sealed_secret: box.seal(secret, user.id), created_at: isoNow(clock), enabled_at: null, last_used_step: null })
      .execute();
  });
  const uri = totpUri(secret, user.email);
  return { secret, uri, qrCode: await (await import('qrcode')).default.toDataURL(uri, { margin: 1, width: 220 }) };
}

/** Turns two-factor sign-in on with the app's first code; returns the recovery codes, shown this once. */
export async function confirmEnrolment(db: Kysely<Database>, clock: Clock, box: SealedBox, userId: string, code: string): Promise<string[]> {
  return inTransaction(db, async (tx) => {
    const pending = await tx.selectFrom('two_factor_credentials').select('enabled_at').where('user_id', '=', userId).executeTakeFirst();
    if (!pending || pending.enabled_at !== null) throw new DomainError('no_enrolment', 'Start setting up two-factor sign-in first', 409);
    if (!(await acceptCode(tx, clock, box, userId, code, 'pending'))) throw invalidCode();
    return replaceRecoveryCodes(tx, clock, userId);
  });
}

/** True when `code` is the user's current code and newer than any code they used before (it is then spent). */
export function acceptTotpCode(db: Kysely<Database>, clock: Clock, box: SealedBox, userId: string, code: string): Promise<boolean> {
  return acceptCode(db, clock, box, userId, code, 'enabled');
}

async function acceptCode(db: Kysely<Database>, clock: Clock, box: SealedBox, userId: string, code: string, stage: 'pending' | 'enabled'): Promise<boolean> {
  const row = await db.selectFrom('two_factor_credentials').select(['sealed_secret', 'enabled_at']).where('user_id', '=', userId).executeTakeFirst();
  if (!row || (row.enabled_at !== null) !== (stage === 'enabled')) return false;
  const step = matchingStep(openSecret(box, row.sealed_secret, userId), code, clock());
  if (step === null) return false;
  const result = await db
    .updateTable('two_factor_credentials')
    .set(stage === 'pending' ? { last_used_step: step, enabled_at: isoNow(clock) } : { last_used_step: step })
    .where('user_id', '=', userId)
    // Still the secret the code was checked against (a restarted enrolment replaces it).
    .where('sealed_secret', '=', row.sealed_secret)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function openSecret(box: SealedBox, sealed: string, userId: string): string {
  try {
    return box.open(sealed, userId) as string;
  } catch (error) {
    if (!(error instanceof SealUnreadable)) throw error;
    // Recovery codes are digests, not sealed: they still work after the instance key was lost.
    throw new DomainError(
      'two_factor_unreadable',
      'This server can no longer read your authenticator secret (its secret key changed): use a recovery code',
      409,
    );
  }
}

export async function disableTwoFactor(db: Kysely<Database>, userId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
    await tx.deleteFrom('two_factor_credentials').where('user_id', '=', userId).execute();
  });
}

/** A fresh set of recovery codes; the old ones stop working. */
export async function renewRecoveryCodes(db: Kysely<Database>, clock: Clock, userId: string): Promise<string[]> {
  return inTransaction(db, async (tx) => {
    if (!(await hasTwoFactor(tx, userId))) throw new DomainError('two_factor_off', 'Two-factor sign-in is not on', 409);
    return replaceRecoveryCodes(tx, clock, userId);
  });
}

/** `chorus keys rotate`: re-seals every authenticator secret under the new key (inside the caller's transaction). */
export async function resealTwoFactorSecrets(db: Kysely<Database>, oldKey: string, newKey: string): Promise<{ resealed: number; alreadyNew: number }> {
  const from = twoFactorSecretBox(oldKey);
  const to = twoFactorSecretBox(newKey);
  return inTransaction(db, async (tx) => {
    const report = { resealed: 0, alreadyNew: 0 };
    for (const row of await tx.selectFrom('two_factor_credentials').select(['user_id', 'sealed_secret']).execute()) {
      if (to.sealedWithThisKey(row.sealed_secret)) {
        report.alreadyNew++;
        continue;
      }
      await tx
        .updateTable('two_factor_credentials')
        .set({ sealed_secret: to.seal(from.open(row.sealed_secret, row.user_id), row.user_id) })
        .where('user_id', '=', row.user_id)
        .execute();
      report.resealed++;
    }
    return report;
  });
}
