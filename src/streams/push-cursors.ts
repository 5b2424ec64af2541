import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/** Where the push reader of `url` stopped (PushCursorsTable); null when it saved none since `savedSince` (an ISO time), or it is unreadable. */
export async function readPushCursor(db: Kysely<Database>, url: string, savedSince = ''): Promise<number | null> {
  const row = await db.selectFrom('push_cursors').select('cursor').where('url', '=', url).where('updated_at', '>=', savedSince).executeTakeFirst();
  const cursor = row ? Number(row.cursor) : NaN;
  return Number.isSafeInteger(cursor) && cursor >= 0 ? cursor : null;
}

export async function savePushCursor(db: Kysely<Database>, url: string, cursor: number, at: string): Promise<void> {
  await db
    .insertInto('push_cursors')
    .values({ url, cursor: String(cursor), updated_at: at })
    .onConflict((oc) => oc.column('url').doUpdateSet({ cursor: String(cursor), updated_at: at }))
    .execute();
}

export async function forgetPushCursor(db: Kysely<Database>, url: string): Promise<void> {
  await db.deleteFrom('push_cursors').where('url', '=', url).execute();
}
