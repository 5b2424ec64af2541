import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** Runs `work` in a transaction, joining the caller's if there is one (Kysely does not nest them). */
export function inTransaction<T>(db: Kysely<Database>, work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
