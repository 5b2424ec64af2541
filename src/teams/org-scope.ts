import type { Compilable, Insertable, Kysely, SelectQueryBuilder, UpdateQueryBuilder, DeleteQueryBuilder, UpdateResult, DeleteResult } from 'kysely';
import { isoNow, type Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { PreparedQuery } from '../store/prepared-query.js';
import { inTransaction } from '../store/transaction.js';
import type { Role } from './tables.js';

/** Tables whose rows belong to one org (they carry `org_id`). */
export type OrgOwnedTable = { [T in keyof Database]: Database[T] extends { org_id: string } ? T : never }[keyof Database];

/**
 * The only door to org-owned rows: every query it builds is already filtered to this org,
 * and every insert is stamped with it. Handlers receive a scope from the org-scope hook,
 * never a raw org id from the URL, so reaching another org's rows cannot be written by mistake.
 */
export class OrgScope {
  constructor(
    private readonly db: Kysely<Database>,
    readonly orgId: string,
    readonly actor: { userId: string; role: Role },
    private readonly clock: Clock,
  ) {}

  selectFrom<T extends OrgOwnedTable>(table: T): SelectQueryBuilder<Database, T, {}> {
    return (this.db as Kysely<any>).selectFrom(table as string).where(`${table as string}.org_id`, '=', this.orgId) as unknown as SelectQueryBuilder<
      Database,
      T,
      {}
    >;
  }

  updateTable<T extends OrgOwnedTable>(table: T): UpdateQueryBuilder<Database, T, T, UpdateResult> {
    return (this.db as Kysely<any>).updateTable(table as string).where(`${table as string}.org_id`, '=', this.orgId) as unknown as UpdateQueryBuilder<
      Database,
      T,
      T,
      UpdateResult
    >;
  }

  deleteFrom<T extends OrgOwnedTable>(table: T): DeleteQueryBuilder<Database, T, DeleteResult> {
    return (this.db as Kysely<any>).deleteFrom(table as string).where(`${table as string}.org_id`, '=', this.orgId) as unknown as DeleteQueryBuilder<
      Database,
      T,
      DeleteResult
    >;
  }

  async insertInto<T extends OrgOwnedTable>(
    table: T,
    rows: Omit<Insertable<Database[T]>, 'org_id'> | Omit<Insertable<Database[T]>, 'org_id'>[],
  ): Promise<void> {
    const list = (Array.isArray(rows) ? rows : [rows]).map((row) => ({ ...row, org_id: this.orgId }));
    if (list.length > 0) await (this.db as Kysely<any>).insertInto(table).values(list).execute();
  }

  /** Reads of tables that are not org-owned (users) go through here, explicitly. */
  get shared(): Kysely<Database> {
    return this.db;
  }

  /** Runs `work` in one transaction (or the caller's) with a scope bound to it: same org, actor and clock. */
  transaction<T>(work: (scope: OrgScope) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) => work(new OrgScope(tx, this.orgId, this.actor, this.clock)));
  }

  /** Runs a hot query prepared with preparedOrgQuery, for this org and actor. */
  run<P extends OrgQueryParams, Row>(query: PreparedOrgQuery<P, Row>, params: P): Promise<Row[]> {
    return query.execute(this.db, { ...params, orgId: this.orgId, actorUserId: this.actor.userId });
  }

  now(): string {
    return isoNow(this.clock);
  }

  async audit(action: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.insertInto('audit_events', { id: newId(), actor_user_id: this.actor.userId, action, detail: JSON.stringify(detail), at: this.now() });
  }
}

type OrgQueryParams = Record<string, string | number | null>;
export type PreparedOrgQuery<P extends OrgQueryParams, Row> = PreparedQuery<P & { orgId: string; actorUserId: string }, Row>;

/**
 * A hot org query compiled once (see PreparedQuery): `build` gets a scope whose org and actor
 * are placeholders, so the query is still filtered to the org by OrgScope itself.
 */
export function preparedOrgQuery<P extends OrgQueryParams, Row>(build: (scope: OrgScope, params: P) => Compilable<Row>): PreparedOrgQuery<P, Row> {
  const noClock: Clock = () => {
    throw new Error('A prepared query cannot depend on the time it was compiled');
  };
  return new PreparedQuery<P & { orgId: string; actorUserId: string }, Row>((db, params) => {
    // The actor is read only if the query uses it: an unused placeholder would fail the check.
    const actor = {
      get userId() {
        return params.actorUserId;
      },
      role: 'viewer' as const,
    };
    return build(new OrgScope(db, params.orgId, actor, noClock), params);
  });
}
