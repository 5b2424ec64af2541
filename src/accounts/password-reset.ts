import type { Kysely } from 'kysely';
import { isoIn, isoNow, type Clock } from '../lib/clock.js';
import { DomainError } from '../lib/domain-error.js';
import { digestSecret, newId, newSecret } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { inTransaction } from '../store/transaction.js';
import { clearAccountThrottling, throttleAddress } from './login-throttle.js';
import { hashPassword } from './passwords.js';
import { normalizeEmail } from './users.js';

export interface PasswordResetPolicy {
  /** How long a mailed link works. */
  linkLifetimeMs: number;
  /**
   * Mails to one account per link lifetime. Every mail counted still holds a working link, so
   * however often someone else asks, the real user always has one in their inbox.
   */
  mailsPerAccount: number;
  /** Requests from one client address per window, known emails or not. */
  requestsPerAddress: number;
  addressWindowMs: number;
}

export const DEFAULT_PASSWORD_RESET: PasswordResetPolicy = {
  linkLifetimeMs: 30 * 60_000,
  mailsPerAccount: 3,
  requestsPerAddress: 10,
  addressWindowMs: 60 * 60_000,
};

/** Whom to mail a new link to, and the link's secret (only its digest is stored). */
export interface ResetMail {
  token: string;
  user: { email: string; name: string; locale: string };
}

export type ResetRequest = { limited: true; retryAfterSeconds: number } | { limited: false; mail: ResetMail | null };

export class ResetLinkInvalidError extends DomainError {
  constructor() {
    super('reset_link_invalid', 'This password reset link is invalid, expired or already used; ask for a new one', 404);
  }
}

/**
 * Records a reset request and, for an existing account that has not had too many mails,
 * creates a link. The caller answers the same way whatever this returns, short of `limited`
 * (which depends on the caller's address only), so the answer never tells who has an account.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  clock: Clock,
  policy: PasswordResetPolicy,
  input: { email: string; ip: string },
): Promise<ResetRequest> {
  const address = throttleAddress(input.ip);
  return inTransaction(db, async (tx) => {
    const since = new Date(clock().getTime() - policy.addressWindowMs).toISOString();
    const recent = await tx
      .selectFrom('password_reset_requests')
      .select('at')
      .where('address', '=', address)
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .limit(policy.requestsPerAddress)
      .execute();
    if (recent.length >= policy.requestsPerAddress) {
      const retryAfterMs = Date.parse(recent[recent.length - 1]!.at) + policy.addressWindowMs - clock().getTime();
      return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
    await tx
      .insertInto('password_reset_requests')
      .values({ id: newId(), address, at: isoNow(clock) })
      .execute();
    const user = await tx.selectFrom('users').select(['id', 'email', 'name', 'locale']).where('email', '=', normalizeEmail(input.email)).executeTakeFirst();
    if (!user) return { limited: false, mail: null };
    const linkSince = new Date(clock().getTime() - policy.linkLifetimeMs).toISOString();
    const { mails } = await tx
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<number>().as('mails'))
      .where('user_id', '=', user.id)
      .where('created_at', '>', linkSince)
      .executeTakeFirstOrThrow();
    if (Number(mails) >= policy.mailsPerAccount) return { limited: false, mail: null };
    const token = newSecret();
    await tx
      .insertInto('password_resets')
      .values({ token_hash: digestSecret(token), user_id: user.id, created_at: isoNow(clock), expires_at: isoIn(clock, policy.linkLifetimeMs) })
      .execute();
    return { limited: false, mail: { token, user: { email: user.email, name: user.name, locale: user.locale } } };
  });
}

/** When a link stops working; throws when it already has. */
export async function previewResetLink(db: Kysely<Database>, clock: Clock, token: string): Promise<{ expiresAt: string }> {
  const row = await db
    .selectFrom('password_resets')
    .select('expires_at')
    .where('token_hash', '=', digestSecret(token))
    .where('expires_at', '>', isoNow(clock))
    .executeTakeFirst();
  if (!row) throw new ResetLinkInvalidError();
  return { expiresAt: row.expires_at };
}

/** Uses a link: sets the new password and returns the account's email. Each link works once. */
export async function resetPasswordWithLink(db: Kysely<Database>, clock: Clock, token: string, password: string): Promise<{ email: string }> {
  // Hashed before the transaction: scrypt takes tens of milliseconds, SQLite's write lock should not.
  const passwordHash = await hashPassword(password);
  return inTransaction(db, async (tx) => {
    // Deleting first makes the link single-use even when two requests race for it.
    const link = await tx
      .deleteFrom('password_resets')
      .where('token_hash', '=', digestSecret(token))
      .where('expires_at', '>', isoNow(clock))
      .returning('user_id')
      .executeTakeFirst();
    if (!link) throw new ResetLinkInvalidError();
    return replacePassword(tx, link.user_id, passwordHash);
  });
}

/**
 * The password changes hands: every session of the user ends, every other reset link dies,
 * and the sign-in throttling of the account is cleared, so the user gets in at once.
 * API tokens stay: they are separate credentials, listed and revoked on the profile page.
 */
export async function replacePassword(db: Kysely<Database>, userId: string, passwordHash: string): Promise<{ email: string }> {
  return inTransaction(db, async (tx) => {
    const user = await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).returning('email').executeTakeFirstOrThrow();
    await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await tx.deleteFrom('password_resets').where('user_id', '=', userId).execute();
    await clearAccountThrottling(tx, user.email);
    return { email: user.email };
  });
}

export async function prunePasswordResets(db: Kysely<Database>, clock: Clock, policy: PasswordResetPolicy): Promise<void> {
  await db.deleteFrom('password_resets').where('expires_at', '<=', isoNow(clock)).execute();
  await db
    .deleteFrom('password_reset_requests')
    .where('at', '<=', new Date(clock().getTime() - policy.addressWindowMs).toISOString())
    .execute();
}
