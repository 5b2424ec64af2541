import { inTransaction } from '../store/transaction.js';
import { OrgScope } from '../teams/org-scope.js';

/** Runs `work` in one transaction with a scope bound to it (same org, actor and clock). */
export function inOrgTransaction<T>(scope: OrgScope, work: (tx: OrgScope) => Promise<T>): Promise<T> {
  return inTransaction(scope.shared, (db) => work(new OrgScope(db, scope.orgId, scope.actor, () => new Date(scope.now()))));
}
