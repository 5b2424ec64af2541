import type { Kysely } from 'kysely';
import { Secret } from 'otpauth';
import { isoNow, type Clock } from '../lib/clock.js';
import { digestSecret, newId } from '../lib/ids.js';
import type { Database } from '../store/database.js';

/**
 * One-time recovery codes for when the authenticator app is lost: 10 of them, shown once,
 * stored as digests, each accepted once. A code is 80 random bits in base32 (no 0/1/8/9 to
 * misread), written in groups of four: XXXX-XXXX-XXXX-XXXX.
 */
export const RECOVERY_CODE_COUNT = 10;

const newRecoveryCode = (): string => new Secret({ size: 10 }).base32.match(/.{4}/g)!.join('-');

/** Case, spaces and dashes do not matter when a code is typed back. */
const recoveryCodeDigest = (code: string): string => digestSecret(code.toUpperCase().replace(/[^A-Z2-7]/g, ''));

/** Replaces the user's recovery codes with a fresh set and returns it (the only time it is readable). */
export async function replaceRecoveryCodes(db: Kysely<Database>, clock: Clock, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('two_factor_recovery_codes')
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: recoveryCodeDigest(code), created_at: isoNow(clock), used_at: null })))
    .execute();
  return codes;
}

/** Marks the code used if it is one of the user's unused codes; one statement, so two requests cannot both spend it. */
export async function spendRecoveryCode(db: Kysely<Database>, clock: Clock, userId: string, code: string): Promise<boolean> {
  const result = await db
    .updateTable('two_factor_recovery_codes')
    .set({ used_at: isoNow(clock) })
    .where('user_id', '=', userId)
    .where('code_hash', '=', recoveryCodeDigest(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function unusedRecoveryCodes(db: Kysely<Database>, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('two_factor_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(count);
}
