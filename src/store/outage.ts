import type pg from 'pg';
import { loadPg } from './pg-driver.js';

/**
 * A store outage (no PostgreSQL reachable, a leader lost mid-query, a failover in progress)
 * is a normal event in a replicated deployment, not a bug: callers get a 503 with
 * Retry-After, workers wait it out, and nothing here ever hangs for longer than a timeout.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super('The database is not reachable right now (restart or failover in progress); try again shortly', options);
  }
}

/** SQLSTATEs that mean "this server cannot take the query now", not "the query is wrong". */
const OUTAGE_SQLSTATES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '57P01', // admin_shutdown: the server is stopping (a switchover, a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, or a standby not yet accepting connections
  '25006', // read_only_sql_transaction: we reached a node that was just demoted
]);

const OUTAGE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

const OUTAGE_MESSAGES = [
  /Connection terminated/i, // pg: the socket closed under a query or during the handshake
  /timeout exceeded when trying to connect/i, // pg-pool: connectionTimeoutMillis
  /Client has encountered a connection error and is not queryable/i,
  /server closed the connection unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Connection is closed/i,
];

/** True when `error` (or anything in its cause chain) is the store being unreachable. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof StoreUnavailableError) return true;
    if (typeof current !== 'object') return false;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (OUTAGE_SQLSTATES.has(code) || OUTAGE_NODE_CODES.has(code))) return true;
    if (typeof message === 'string' && OUTAGE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    if (current instanceof AggregateError && current.errors.some((inner) => isStoreUnavailable(inner))) return true;
  }
  return false;
}

export interface ResilientPoolOptions extends pg.PoolConfig {
  /** How long a checkout keeps retrying a failed connect before it gives up (nothing was sent yet, so retrying is always safe). */
  connectRetryMs?: number;
}

/**
 * A pg pool whose checkouts retry failed connects for a short while: during a failover
 * HAProxy refuses or closes new connections until Patroni's health check shows the new
 * leader, and a retry a few hundred milliseconds later usually lands on it. Only the connect
 * is retried: a query that was sent may have committed, so its failure goes to the caller.
 */
const defineResilientPool = (Pool: typeof pg.Pool) =>
  class ResilientPool extends Pool {
    readonly #connectRetryMs: number;

    constructor(options: ResilientPoolOptions) {
      const { connectRetryMs, ...config } = options;
      super(config);
      this.#connectRetryMs = connectRetryMs ?? 2000;
    }

    override connect(): Promise<pg.PoolClient>;
    override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
    override connect(
      callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
    ): Promise<pg.PoolClient> | void {
      if (callback) return super.connect(callback);
      return this.#connectWithRetry();
    }

    async #connectWithRetry(): Promise<pg.PoolClient> {
      const deadline = Date.now() + this.#connectRetryMs;
      for (let delay = 100; ; delay = Math.min(delay * 2, 500)) {
        try {
          return await super.connect();
        } catch (error) {
          if (!isStoreUnavailable(error) || Date.now() + delay > deadline || this.ending) {
            throw isStoreUnavailable(error) ? new StoreUnavailableError(STORE_RETRY_AFTER_SECONDS, { cause: error }) : error;
          }
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }
  };

let resilientPool: ReturnType<typeof defineResilientPool> | undefined;

/** A new {@link defineResilientPool ResilientPool}; pg is loaded on the first call. */
export function newResilientPool(options: ResilientPoolOptions): pg.Pool {
  resilientPool ??= defineResilientPool(loadPg().Pool);
  return new resilientPool(options);
}

/** What a client is told to wait: a Patroni failover takes about 20-25 s; most restarts less. */
export const STORE_RETRY_AFTER_SECONDS = 5;
