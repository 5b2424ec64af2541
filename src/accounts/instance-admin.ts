import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/**
 * The instance admin runs the installation (backups, status incidents, SLA report). It is the
 * first user ever created: the one `/api/setup` or `chorus user create --owner` made, both of
 * which refuse once any user exists. Owning an org is not enough: anyone may create an org.
 * Routes ask for it with `config: { instanceAdmin: true }`; the authentication hook checks it.
 */
export async function isInstanceAdmin(db: Kysely<Database>, userId: string): Promise<boolean> {
  const first = await db.selectFrom('users').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  return first?.id === userId;
}
