import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SQLite file behind a DATABASE_URL (same rules as store/open.ts), or null for PostgreSQL. */
export function sqliteFileOf(databaseUrl: string): string | null {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return null;
  if (databaseUrl.startsWith('file:')) return path.resolve(fileURLToPath(databaseUrl));
  if (databaseUrl.startsWith('sqlite:')) return path.resolve(databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
  return path.resolve(databaseUrl);
}
