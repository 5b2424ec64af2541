import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { StorageWatch } from './storage-full.js';

export type Dialect = 'sqlite' | 'postgres';

/** The one handle every module gets to the database; only src/store knows which dialect is behind it. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Human-readable location, safe to log (no password). */
  readonly description: string;
  /** PostgreSQL schema the store lives in when it is not the default one (search_path). */
  readonly schema?: string;
  /** Whether the store can write, as far as failed writes and a probe tell (readiness). */
  readonly storage: StorageWatch;
  /**
   * A value that changes whenever any connection may have changed the data since it was last
   * read, so whatever was read before can be kept while it stays the same (ColumnPageCache):
   * SQLite's data_version and total_changes(), PostgreSQL's snapshot (docs/ARCHITECTURE.md, "Store").
   */
  readonly changeStamp: () => Promise<string>;
  close(): Promise<void>;
}
