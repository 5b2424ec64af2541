import {
  TableNode,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Database } from '../../src/store/database.js';
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../../src/store/outage.js';
import type { Store } from '../../src/store/store.js';

type Moment = 'after-commit' | 'at-write';

/**
 * A store whose connection to the database is lost at a chosen moment: right after a write to
 * one table commits (the outage that answered 503 for rows that existed), or at that write
 * itself (nothing committed). From then on every query fails as an outage, as a failover does,
 * until `restore()`. Commits are seen where they happen: at the end of a transaction, or at the
 * end of a write made outside one.
 */
export class ConnectionLoss implements KyselyPlugin {
  readonly store: Store;
  private watched: { table: string; moment: Moment } | null = null;
  private lost = false;
  private transactionDepth = 0;
  private writtenInTransaction = false;
  private readonly autocommitWrites = new WeakSet<object>();

  constructor(inner: Store) {
    const db = inner.db.withPlugin(this);
    const loss = this;
    const proxy = new Proxy(db, {
      get(target, property) {
        if (property === 'transaction') return () => loss.watchTransaction(target.transaction());
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Kysely<Database>;
    this.store = {
      db: proxy,
      dialect: inner.dialect,
      description: inner.description,
      storage: inner.storage,
      changeStamp: async () => {
        if (loss.lost) throw outage();
        return inner.changeStamp();
      },
      ...(inner.schema ? { schema: inner.schema } : {}),
      close: () => inner.close(),
    };
  }

  /** The connection drops at this moment of the next write to `table`. */
  loseConnection(moment: Moment, table: string): void {
    this.watched = { table, moment };
  }

  get isLost(): boolean {
    return this.lost;
  }

  /** The database is reachable again. */
  restore(): void {
    this.lost = false;
    this.watched = null;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.lost) throw outage();
    if (this.watched && writtenTable(args.node) === this.watched.table) {
      if (this.watched.moment === 'at-write') {
        this.lost = true;
        throw outage();
      }
      if (this.transactionDepth > 0) this.writtenInTransaction = true;
      else this.autocommitWrites.add(args.queryId);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.lost) throw outage();
    if (this.autocommitWrites.has(args.queryId)) this.lost = true;
    return args.result;
  }

  private watchTransaction(builder: ReturnType<Kysely<Database>['transaction']>) {
    return {
      execute: async <T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T> => {
        this.transactionDepth++;
        try {
          const result = await builder.execute(work);
          if (this.writtenInTransaction) this.lost = true;
          return result;
        } finally {
          this.transactionDepth--;
          this.writtenInTransaction = false;
        }
      },
    };
  }
}

function writtenTable(node: RootOperationNode): string | undefined {
  if (node.kind === 'InsertQueryNode') return node.into?.table.identifier.name;
  if (node.kind === 'UpdateQueryNode' && node.table && TableNode.is(node.table)) return node.table.table.identifier.name;
  return undefined;
}

const outage = () => new StoreUnavailableError(STORE_RETRY_AFTER_SECONDS, { cause: new Error('Connection terminated unexpectedly') });
