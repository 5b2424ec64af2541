import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE, tighten } from '../lib/private-files.js';
import type { Database } from './database.js';
import { withStatementCache } from './statement-cache.js';
import type { Store } from './store.js';

/**
 * Durability settings (see docs/ARCHITECTURE.md, "Store"):
 * - journal_mode=WAL: readers never block the writer; a commit is one append to the WAL.
 * - synchronous=FULL: the WAL is fsynced at every commit, so a transaction that returned
 *   survives a process crash *and* an OS crash or power loss (NORMAL would only survive the former).
 * - foreign_keys=ON: SQLite leaves them off by default.
 * - busy_timeout: a second process (CLI backup, worker) waits instead of failing with SQLITE_BUSY.
 */
export const SQLITE_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'] as const;

export function openSqliteStore(file: string): Store {
  if (file !== ':memory:' && file !== '') createPrivately(file);
  const connection = new SQLite(file);
  for (const pragma of SQLITE_PRAGMAS) connection.pragma(pragma);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
  return {
    db,
    dialect: 'sqlite',
    description: `sqlite:${file}`,
    close: () => db.destroy(),
  };
}

/**
 * SQLite creates a new database 0644 (less the umask), and its -wal and -shm with the database
 * file's own mode: so the file is created 0600 before SQLite opens it, and the side files follow.
 * Files left 0644 by an older Chorus are tightened.
 */
function createPrivately(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const suffix of ['', '-wal', '-shm']) tighten(file + suffix);
}
