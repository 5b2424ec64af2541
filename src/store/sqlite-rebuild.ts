import { sql, type Kysely } from 'kysely';

/**
 * Changes what SQLite's ALTER TABLE cannot (a table constraint) by SQLite's own procedure
 * (sqlite.org/lang_altertable.html, "other kinds of table schema changes"): with foreign keys off,
 * in one transaction, create the table as `edit` rewrites its CREATE statement, copy every row
 * (rowids included, so an external-content FTS index stays valid), drop the old table, rename
 * the new one, recreate its indexes and triggers, and check every foreign key before committing.
 * Only for migrations: they run outside a transaction on SQLite, where the pragma can change.
 */
export async function rebuildSqliteTable(db: Kysely<any>, table: string, edit: (createSql: string) => string): Promise<void> {
  const { rows } = await sql<{ type: string; sql: string | null }>`select type, sql from sqlite_master where tbl_name = ${table}`.execute(db);
  const create = rows.find((row) => row.type === 'table')?.sql;
  if (!create) throw new Error(`SQLite has no table ${table} to rebuild`);
  const edited = edit(create);
  if (edited === create) throw new Error(`Rebuilding ${table}: its schema is not the one this migration expects`);
  const rebuilt = `${table}_rebuilt`;
  // Automatic indexes (of UNIQUE and PRIMARY KEY) have no SQL: the new CREATE TABLE makes them.
  const dependents = rows.filter((row) => row.type !== 'table' && row.sql !== null).map((row) => row.sql!);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (tx) => {
      await sql.raw(edited.replace(/^CREATE TABLE\s+("[^"]+"|\S+)/i, `CREATE TABLE "${rebuilt}"`)).execute(tx);
      await sql.raw(`insert into "${rebuilt}" select * from "${table}"`).execute(tx);
      await sql.raw(`drop table "${table}"`).execute(tx);
      await sql.raw(`alter table "${rebuilt}" rename to "${table}"`).execute(tx);
      for (const statement of dependents) await sql.raw(statement).execute(tx);
      const broken = await sql`pragma foreign_key_check`.execute(tx);
      if (broken.rows.length > 0) throw new Error(`Rebuilding ${table} broke ${broken.rows.length} foreign keys`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
