import { PostgresAdapter, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Dialect, Store } from './store.js';

// SQL that differs between SQLite and PostgreSQL, one function per need, both spellings side by
// side; modules call these instead of branching on the dialect themselves.

/** A nullable text column as JSON text, like JSON.stringify (NULL becomes null). */
export function jsonText(dialect: Dialect, column: string): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`coalesce(to_json(${sql.ref(column)})::text, 'null')` : sql<string>`json_quote(${sql.ref(column)})`;
}

/**
 * Text as its UTF-8 bytes (a Buffer in JavaScript): a row spliced to JSON by the store goes into
 * the answer as it is, instead of being decoded into a JavaScript string and encoded back.
 */
export function utf8Bytes(dialect: Dialect, text: RawBuilder<string>): RawBuilder<Buffer> {
  return dialect === 'postgres' ? sql<Buffer>`convert_to(${text}, 'UTF8')` : sql<Buffer>`cast(${text} as blob)`;
}

/** Whether a text column holds `term` as a plain substring (no pattern characters, no index: for a few rows). */
export function containsText(dialect: Dialect, column: string, term: string): RawBuilder<boolean> {
  return dialect === 'postgres' ? sql<boolean>`strpos(${sql.ref(column)}, ${term}) > 0` : sql<boolean>`instr(${sql.ref(column)}, ${term}) > 0`;
}

/** Runs `read` in one transaction that sees a single consistent snapshot of the whole store. */
export function inSnapshot<T>(store: Store, read: (db: Kysely<any>) => Promise<T>): Promise<T> {
  // SQLite: a read transaction already sees one snapshot (WAL). PostgreSQL needs repeatable read for it.
  const transaction = store.dialect === 'postgres' ? store.db.transaction().setIsolationLevel('repeatable read') : store.db.transaction();
  return transaction.execute(read);
}

/** Inside a transaction: foreign keys are checked at commit, so rows may be written in any order. */
export async function deferForeignKeys(dialect: Dialect, tx: Transaction<any>): Promise<void> {
  // PostgreSQL's constraints are not deferrable as created; its callers write in dependency order.
  if (dialect === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(tx);
}

/**
 * Conditions that keep rows whose text `column` holds every term as a substring, served by the
 * store's text index: PostgreSQL's pg_trgm GIN index answers LIKE for any term length; SQLite's
 * FTS5 trigram table (`fts.table`, rowid = `fts.rowid`) narrows to rows holding every covering
 * trigram, then instr() keeps those holding each whole term (terms under 3 characters use instr() alone).
 */
export function textIndexMatches(
  dialect: Dialect,
  column: string,
  terms: { pattern: string; term: string }[],
  fts: { table: string; rowid: string; phrases: string[] },
): RawBuilder<boolean>[] {
  if (dialect === 'postgres') return terms.map(({ pattern }) => sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`);
  const conditions: RawBuilder<boolean>[] = [];
  if (fts.phrases.length > 0) {
    conditions.push(
      sql<boolean>`${sql.ref(fts.rowid)} in (select rowid from ${sql.table(fts.table)} where ${sql.table(fts.table)} match ${fts.phrases.join(' AND ')})`,
    );
  }
  return [...conditions, ...terms.map(({ term }) => containsText(dialect, column, term))];
}

/** Whether the store lives in files under the data directory (so free disk space there matters). */
/** The column type for raw bytes, for migrations that run on either database. */
export const bytesColumnType = (db: Kysely<any>): 'bytea' | 'blob' => (db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob');

export const keepsDataInDataDir = (dialect: Dialect): boolean => dialect === 'sqlite';

/** Whether other processes can reach this one through the store (PostgreSQL LISTEN/NOTIFY); SQLite has one server process per file. */
export const notifiesAcrossProcesses = (dialect: Dialect): boolean => dialect === 'postgres';
