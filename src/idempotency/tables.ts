/**
 * One row per Idempotency-Key a caller sent to a create route: the request's fingerprint, and
 * once the first request answered, that answer. Transient bookkeeping, kept 24 hours.
 */
export interface IdempotencyKeysTable {
  user_id: string;
  /** The client's opaque key, as sent. */
  key: string;
  /**
   * The org the request was made in (null outside one), so deleting the org deletes its
   * answers. Deliberately not called `org_id`: the org export takes every table with that
   * column, and these rows are request bookkeeping, not the org's data.
   */
  scope_org_id: string | null;
  /** HMAC of method, route, path parameters and body (request-fingerprint.ts). */
  request_hash: string;
  /** When the first request started, or when a later one took over an abandoned reservation. */
  reserved_at: string;
  /** Null while the first request is still running. */
  status: number | null;
  content_type: string | null;
  /** The answer's body, sealed (sealed-answer.ts): some answers carry a secret shown once. */
  body: string | null;
}

export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}
