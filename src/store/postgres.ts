import { CompiledQuery, Kysely } from 'kysely';
import { CurrentSchemaPostgresDialect } from './current-schema-dialect.js';
import type { Database } from './database.js';
import { newResilientPool } from './outage.js';
import { RecentStorageFailures } from './storage-full.js';
import type { Store } from './store.js';

export interface PostgresStoreOptions {
  /** Schema to use instead of `public` (tests get a fresh one each). */
  schema?: string;
  maxConnections?: number;
  /** Server-side limit for one statement, so a stuck query cannot hold a request forever (0 = none). */
  statementTimeoutMs?: number;
}

export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Store {
  const schema = options.schema ?? searchPathOf(url);
  // Connection loss is normal (restart, failover): connects fail fast and are retried briefly,
  // dead peers are noticed by TCP keepalive, and a request gets a 503 instead of hanging.
  const pool = newResilientPool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 3000,
    connectRetryMs: 1000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: 60_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its server (failover, restart) must not crash the process.
  pool.on('error', () => {});
  // Nor may a checked-out client between two queries of a transaction: pg emits 'error' on it with
  // no listener (a process crash, seen in the zone-outage drill); its next query fails instead → 503.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    description: redactPassword(url) + (options.schema ? ` (schema ${options.schema})` : ''),
    ...(schema ? { schema } : {}),
    storage: new RecentStorageFailures(),
    changeStamp: async () => (await db.executeQuery<{ stamp: string }>(CHANGE_STAMP)).rows[0]!.stamp,
    close: () => db.destroy(),
  };
}

/**
 * A snapshot is `xmax` (one past the newest finished transaction id) and the ids below it still in
 * progress: equal snapshots see exactly the same committed data, and a writing transaction's end
 * moves `xmax` past its id or takes the id off the list. One that only reads takes no id. The
 * server's start time joins it, since after a restart or a failover ids lost with unreplicated
 * work could be given out again.
 */
const CHANGE_STAMP = CompiledQuery.raw(`select pg_postmaster_start_time()::text || ' ' || pg_current_snapshot()::text as stamp`);

/** The schema named by `?options=-c search_path=<schema>` in a connection URL, if any. */
function searchPathOf(url: string): string | undefined {
  try {
    return /search_path=([A-Za-z_][A-Za-z0-9_]*)/.exec(new URL(url).searchParams.get('options') ?? '')?.[1];
  } catch {
    return undefined;
  }
}

export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
