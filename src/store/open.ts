import { fileURLToPath } from 'node:url';
import { openPostgresStore, type PostgresStoreOptions } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** `sqlite:<path>` (or a bare path) → embedded SQLite; `postgres://` / `postgresql://` → PostgreSQL. */
export function openStore(databaseUrl: string, options: PostgresStoreOptions = {}): Store {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgresStore(databaseUrl, options);
  if (databaseUrl.startsWith('file:')) return openSqliteStore(fileURLToPath(databaseUrl));
  if (databaseUrl.startsWith('sqlite:')) return openSqliteStore(databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl))
    throw new Error(`Unsupported DATABASE_URL scheme: ${databaseUrl.split(':')[0]} (use sqlite: or postgres://)`);
  return openSqliteStore(databaseUrl);
}
