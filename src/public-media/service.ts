import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.js';
import { isoNow } from '../lib/clock.js';
import type { Database } from '../store/database.js';

/** The image at a public address, while it is kept; null for an unknown or expired key. */
export async function servedImage(db: Kysely<Database>, key: string, clock: Clock): Promise<{ mimeType: string; data: Buffer } | null> {
  const row = await db
    .selectFrom('public_media')
    .select(['mime_type', 'data'])
    .where('key', '=', key)
    .where('expires_at', '>', isoNow(clock))
    .executeTakeFirst();
  return row ? { mimeType: row.mime_type, data: Buffer.from(row.data, 'base64') } : null;
}

/** Deletes the copies past their retention; returns how many. */
export async function pruneExpiredImages(db: Kysely<Database>, clock: Clock): Promise<number> {
  const result = await db.deleteFrom('public_media').where('expires_at', '<=', isoNow(clock)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
