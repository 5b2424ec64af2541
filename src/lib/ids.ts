import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then randomness (74 bits). For rows
 * written in bulk and keyed by id in several indexes: new keys land at the end of each B-tree
 * instead of on a random page, so a batch dirties (and fsyncs) a few pages, not one per row.
 */
export function newTimeOrderedId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // A v4 UUID already carries the RFC variant bits; keep its randomness after the version nibble.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/** A secret for a cookie, link or API token: 256 bits, URL-safe. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Secrets are stored only as this digest; high-entropy input makes a plain sha256 sufficient. */
export const digestSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
