import type { Kysely } from 'kysely';
import { isoIn, isoNow, type Clock } from '../lib/clock.js';
import { digestSecret, newId, newSecret } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { PreparedQuery } from '../store/prepared-query.js';
import { presentUser, type UserView } from './users.js';

export const SESSION_COOKIE = 'chorus_session';
export const SESSION_LIFETIME_MS = 30 * 24 * 3600_000;
/** Last seen (and with it the sliding expiry) is written at most this often, not on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

export interface ActiveSession {
  idHash: string;
  csrfToken: string;
  user: UserView;
}

export async function createSession(
  db: Kysely<Database>,
  clock: Clock,
  userId: string,
  client: { ip: string; userAgent: string },
): Promise<{ cookieValue: string; csrfToken: string; expiresAt: Date }> {
  const cookieValue = newSecret();
  const csrfToken = newSecret();
  const expiresAt = isoIn(clock, SESSION_LIFETIME_MS);
  await db
    .insertInto('sessions')
    .values({
      id_hash: digestSecret(cookieValue),
      id: newId(),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: isoNow(clock),
      expires_at: expiresAt,
      last_seen_at: isoNow(clock),
      ip: client.ip,
      user_agent: client.userAgent.slice(0, 300),
    })
    .execute();
  return { cookieValue, csrfToken, expiresAt: new Date(expiresAt) };
}

// Every cookie-authenticated request runs this: compiled once per store.
const sessionByHash = new PreparedQuery((db, params: { idHash: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id_hash', 'sessions.csrf_token', 'sessions.expires_at', 'sessions.last_seen_at'])
    .select(['users.id', 'users.email', 'users.name', 'users.locale', 'users.created_at'])
    .where('sessions.id_hash', '=', params.idHash),
);

export async function resolveSession(db: Kysely<Database>, clock: Clock, cookieValue: string, ip: string): Promise<ActiveSession | null> {
  const idHash = digestSecret(cookieValue);
  const row = await sessionByHash.takeFirst(db, { idHash });
  if (!row) return null;
  const now = clock();
  if (row.expires_at <= now.toISOString()) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_INTERVAL_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: isoIn(clock, SESSION_LIFETIME_MS), ip })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return { idHash, csrfToken: row.csrf_token, user: presentUser(row) };
}

export async function endSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Signs out every session of the user but `keepIdHash` (after a password change, or "sign out everywhere else"); returns how many ended. */
export async function endOtherSessions(db: Kysely<Database>, userId: string, keepIdHash: string | null): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepIdHash) query = query.where('id_hash', '!=', keepIdHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
