import type SQLite from 'better-sqlite3';
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * SQLite ends a transaction by itself when a statement fails with SQLITE_FULL, SQLITE_IOERR,
 * SQLITE_BUSY or SQLITE_NOMEM. Kysely then sends ROLLBACK anyway, which fails with "cannot
 * rollback - no transaction is active" and is thrown instead of the error that mattered: a full
 * disk looked like a random bug. Rolling back only a transaction that is still open lets the
 * real error through.
 */
export class SqliteStoreDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly connection: SQLite.Database,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new SqliteStoreDriver(this.config, this.connection);
  }
}

class SqliteStoreDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly connection: SQLite.Database,
  ) {
    super(config);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.connection.inTransaction) await super.rollbackTransaction(connection);
  }
}
