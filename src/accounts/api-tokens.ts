import type { Kysely } from 'kysely';
import { isoIn, isoNow, type Clock } from '../lib/clock.js';
import { digestSecret, newId, newSecret } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import type { ApiTokensTable } from './tables.js';
import { presentUser, type UserView } from './users.js';
import type { ApiTokenView } from '../../core/api/accounts.js';

export type { ApiTokenView };

/** Personal API tokens look like `chorus_pat_<43 chars>`; the prefix makes leaked ones greppable. */
export const TOKEN_PREFIX = 'chorus_pat_';

const present = (row: ApiTokensTable): ApiTokenView => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
});

export async function createApiToken(
  db: Kysely<Database>,
  clock: Clock,
  userId: string,
  input: { name: string; expiresInDays?: number | undefined },
): Promise<{ token: string; view: ApiTokenView }> {
  const token = TOKEN_PREFIX + newSecret();
  const row: ApiTokensTable = {
    id: newId(),
    user_id: userId,
    name: input.name.trim(),
    token_hash: digestSecret(token),
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    created_at: isoNow(clock),
    last_used_at: null,
    expires_at: input.expiresInDays ? isoIn(clock, input.expiresInDays * 86_400_000) : null,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return { token, view: present(row) };
}

export async function listApiTokens(db: Kysely<Database>, userId: string): Promise<ApiTokenView[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  return rows.map(present);
}

export async function revokeApiToken(db: Kysely<Database>, userId: string, tokenId: string): Promise<boolean> {
  const result = await db.deleteFrom('api_tokens').where('id', '=', tokenId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** After a password change, on request: a leaked token must not outlive the leaked password. */
export async function revokeAllApiTokens(db: Kysely<Database>, userId: string): Promise<number> {
  const result = await db.deleteFrom('api_tokens').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function resolveApiToken(db: Kysely<Database>, clock: Clock, token: string): Promise<{ tokenId: string; user: UserView } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.last_used_at'])
    .select(['users.id', 'users.email', 'users.name', 'users.locale', 'users.created_at'])
    .where('api_tokens.token_hash', '=', digestSecret(token))
    .executeTakeFirst();
  if (!row) return null;
  const now = isoNow(clock);
  if (row.expires_at && row.expires_at <= now) return null;
  // Recorded at minute resolution: enough to answer "is this token still used?" without a write per request.
  if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return { tokenId: row.token_id, user: presentUser(row) };
}
