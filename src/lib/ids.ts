import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** A secret for a cookie, link or API token: 256 bits, URL-safe. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Secrets are stored only as this digest; high-entropy input makes a plain sha256 sufficient. */
export const digestSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
