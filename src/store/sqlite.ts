import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE, tighten } from '../lib/private-files.js';
import type { Database } from './database.js';
import { SqliteStoreDialect } from './sqlite-dialect.js';
import { withStatementCache } from './statement-cache.js';
import { RecentStorageFailures } from './storage-full.js';
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
  const db = new Kysely<Database>({ dialect: new SqliteStoreDialect({ database: withStatementCache(connection) }, connection) });
  return {
    db,
    dialect: 'sqlite',
    description: `sqlite:${file}`,
    changeStamp: changeStampOf(connection),
    storage: new RecentStorageFailures({ probe: async () => probeWrite(connection, file) }),
    close: () => db.destroy(),
  };
}

/**
 * `data_version` changes when another connection (the off-thread writer, a worker or CLI
 * process) commits; `total_changes()` counts every row this connection inserted, updated or
 * deleted, triggers included, so it moves with our own writes, even ones later rolled back
 * (a needless miss, never a stale read). Both only grow, so a stamp never comes back.
 */
function changeStampOf(connection: SQLite.Database): () => Promise<string> {
  const statement = connection.prepare('SELECT data_version AS version, total_changes() AS changes FROM pragma_data_version').raw();
  return async () => {
    const [version, changes] = statement.get() as [number, number];
    return `${version}.${changes}`;
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

/** Room a store needs to count as writable again: pages below max_page_count, bytes on its disk. */
const PROBE_PAGES = 64;
const PROBE_BYTES = 256 * 1024;

/**
 * Can the store write again? SQLite's own limit (max_page_count, less the free pages it can
 * reuse) must leave room, and the database's folder must take a small file, written and fsynced
 * beside the database and removed: the disk that the WAL and the database grow on.
 */
function probeWrite(connection: SQLite.Database, file: string): void {
  const pragma = (name: string) => Number(connection.pragma(name, { simple: true }));
  const room = pragma('max_page_count') - pragma('page_count') + pragma('freelist_count');
  if (room < PROBE_PAGES)
    throw Object.assign(new Error(`the database is at its size limit (max_page_count ${pragma('max_page_count')}, ${room} pages left)`), {
      code: 'SQLITE_FULL',
    });
  if (file === ':memory:' || file === '') return;
  const probe = `${file}.write-probe`;
  try {
    const descriptor = fs.openSync(probe, 'w', PRIVATE_FILE_MODE);
    try {
      fs.writeSync(descriptor, Buffer.alloc(PROBE_BYTES));
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  } finally {
    fs.rmSync(probe, { force: true });
  }
}
