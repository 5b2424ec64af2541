import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';

/**
 * What the password step hands back when the account has two-factor sign-in on, instead of a
 * session: proof that the password was right, for five minutes, for one user. Signed (HMAC-SHA256
 * under a key derived from the instance secret key) rather than stored, and bound to the user's
 * current password hash, so changing the password voids every challenge still open.
 * Format: `<user id>.<expiry ms>.<signature>`.
 */
const LIFETIME_MS = 5 * 60_000;
const VERSION = 'v1';

export interface SignInChallenge {
  challenge: string;
  expiresAt: string;
}

export class SignInChallenges {
  private readonly key: Buffer;

  constructor(
    secretKey: string,
    private readonly clock: Clock,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'chorus/sign-in-challenge', `hmac-sha256 ${VERSION}`, 32));
  }

  async issue(db: Kysely<Database>, userId: string): Promise<SignInChallenge> {
    const expires = this.clock().getTime() + LIFETIME_MS;
    const signature = this.sign(userId, expires, await passwordHashOf(db, userId));
    return { challenge: `${userId}.${expires}.${signature.toString('base64url')}`, expiresAt: new Date(expires).toISOString() };
  }

  /** The user the challenge was issued to, or null when it is forged, expired or voided by a password change. */
  async verify(db: Kysely<Database>, challenge: string): Promise<string | null> {
    const [userId, expiresText, signatureText] = challenge.split('.');
    const expires = Number(expiresText);
    if (!userId || !signatureText || !Number.isSafeInteger(expires) || expires <= this.clock().getTime()) return null;
    const passwordHash = await passwordHashOf(db, userId);
    if (passwordHash === null) return null;
    const given = Buffer.from(signatureText, 'base64url');
    const expected = this.sign(userId, expires, passwordHash);
    return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
  }

  private sign(userId: string, expires: number, passwordHash: string | null): Buffer {
    const passwordDigest = createHash('sha256')
      .update(passwordHash ?? '')
      .digest('hex');
    return createHmac('sha256', this.key).update(`${VERSION}\n${userId}\n${expires}\n${passwordDigest}`).digest();
  }
}

async function passwordHashOf(db: Kysely<Database>, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row?.password_hash ?? null;
}
