import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { Database } from './database.js';

type Params = Record<string, string | number | null>;

/** A compiled query plus, for each bound parameter, the name it is filled from (or none: a constant). */
interface CompiledTemplate {
  compiled: CompiledQuery;
  slots: (string | null)[];
}

const SENTINEL = '\u0000chorus-param:';

/**
 * A hot query built and compiled once per store, then run with new values bound by position.
 * Kysely rebuilds and recompiles the operation tree on every call, which was about a quarter of
 * the CPU of an authenticated column read (bench/README.md). The builder receives placeholders
 * instead of values, so a value can only be bound as a parameter; one used anywhere else (in
 * an `in` list whose length varies, spliced into SQL) fails when the query is first compiled.
 */
export class PreparedQuery<P extends Params, Row> {
  private readonly templates = new WeakMap<Kysely<Database>, CompiledTemplate>();

  constructor(private readonly build: (db: Kysely<Database>, params: P) => Compilable<Row>) {}

  async execute(db: Kysely<Database>, params: P): Promise<Row[]> {
    const { compiled, slots } = this.template(db);
    const parameters = compiled.parameters.map((constant, i) => (slots[i] === null ? constant : params[slots[i]!]));
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  }

  async takeFirst(db: Kysely<Database>, params: P): Promise<Row | undefined> {
    return (await this.execute(db, params))[0];
  }

  private template(db: Kysely<Database>): CompiledTemplate {
    let template = this.templates.get(db);
    if (!template) {
      const read = new Set<string>();
      const placeholders = new Proxy({} as P, {
        get: (_, name) => {
          read.add(String(name));
          return `${SENTINEL}${String(name)}`;
        },
      });
      const compiled = this.build(db, placeholders).compile();
      const slots = compiled.parameters.map((value) => (typeof value === 'string' && value.startsWith(SENTINEL) ? value.slice(SENTINEL.length) : null));
      const unbound = [...read].filter((name) => !slots.includes(name));
      if (unbound.length > 0 || compiled.sql.includes(SENTINEL))
        throw new Error(`Prepared query: ${unbound.join(', ') || 'a placeholder'} is not bound as a parameter`);
      template = { compiled, slots };
      this.templates.set(db, template);
    }
    return template;
  }
}
