import type { Kysely } from 'kysely';
import { isoNow, type Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';
import { describeDevice } from './device.js';
import type { SessionView } from '../../core/api/accounts.js';

export type { SessionView };

export async function listSessions(db: Kysely<Database>, clock: Clock, userId: string, currentIdHash: string | null): Promise<SessionView[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'id_hash', 'user_agent', 'ip', 'created_at', 'last_seen_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', isoNow(clock))
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    ...describeDevice(row.user_agent),
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    current: row.id_hash === currentIdHash,
  }));
}

/** Ends one of the user's sessions; returns its digest (the caller may have ended its own), or null if the user has no such session. */
export async function endSessionById(db: Kysely<Database>, userId: string, sessionId: string): Promise<string | null> {
  const row = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).returning('id_hash').executeTakeFirst();
  return row?.id_hash ?? null;
}
