import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { requireCaller } from '../http/authentication.js';
import { forbidden } from '../http/errors.js';
import type { Database } from '../store/database.js';

/**
 * The instance admin runs the installation (backups, status incidents). It is the first user
 * ever created: the one `/api/setup` or `chorus user create --owner` made, both of which refuse
 * once any user exists. Owning an org is not enough: anyone may create an org and own it.
 */
export async function instanceAdminId(db: Kysely<Database>): Promise<string | null> {
  const first = await db.selectFrom('users').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return first?.id ?? null;
}

export async function requireInstanceAdmin(db: Kysely<Database>, request: FastifyRequest): Promise<void> {
  const caller = requireCaller(request);
  if ((await instanceAdminId(db)) !== caller.user.id) throw forbidden('Only the instance admin (the first user of this installation) may do this');
}
