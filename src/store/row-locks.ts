import type { SelectQueryBuilder } from 'kysely';
import type { Dialect } from './store.js';

/**
 * Lets several workers claim rows from one queue without waiting on each other.
 * PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent claims pick disjoint rows.
 * SQLite: nothing to add: a whole UPDATE … WHERE id IN (SELECT …) runs under the single
 * database write lock, so two processes can never claim the same row.
 */
export function skipLockedRows<DB, TB extends keyof DB, O>(dialect: Dialect, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}
