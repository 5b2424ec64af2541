import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.js';

type Table = keyof Database & string;
type ColumnOf<T extends Table> = keyof Database[T] & string;
type SelectableColumnOf<T extends Table> = keyof Selectable<Database[T]> & string;

/** What a bulk insert looks like, apart from how many rows it carries and their values. */
export interface BulkInsertShape<T extends Table, C extends ColumnOf<T>, R extends SelectableColumnOf<T>> {
  table: T;
  /** The order of each row's values. */
  columns: readonly C[];
  /** A row colliding with a stored one on these columns is skipped (ON CONFLICT … DO NOTHING). */
  conflictColumns: readonly ColumnOf<T>[];
  returning: readonly R[];
}

// Shapes differ only by row count (1 to a few hundred per table); bounded, oldest out.
const MAX_TEMPLATES = 200;
const templatesByAdapter = new WeakMap<object, Map<string, CompiledQuery>>();

/**
 * One multi-row `INSERT … ON CONFLICT (…) DO NOTHING RETURNING …` on either dialect, without
 * building and compiling the query anew: Kysely compiles the statement once per shape and row
 * count, and later batches only bind their values. Building and compiling a 500-row, 24-column
 * insert was ~7 % of ingest CPU (and its garbage); on SQLite the unchanged SQL text also hits
 * the prepared-statement cache. One statement per batch rather than one per row: with an FTS5
 * trigger on the table, every statement makes FTS5 flush its pending terms (measured 2× slower).
 *
 * `values` holds the rows one after the other, each in `shape.columns` order.
 */
export async function insertRowsSkippingConflicts<T extends Table, C extends ColumnOf<T>, R extends SelectableColumnOf<T>>(
  db: Kysely<Database>,
  shape: BulkInsertShape<T, C, R>,
  values: unknown[],
): Promise<Pick<Selectable<Database[T]>, R>[]> {
  if (values.length === 0) return [];
  const result = await db.executeQuery(insertRowsStatement(db, shape, values) as CompiledQuery<Pick<Selectable<Database[T]>, R>>);
  return result.rows;
}

/** The same insert as a statement with its values bound, for a caller that runs it elsewhere (an off-thread writer, a transaction). */
export function insertRowsStatement<T extends Table, C extends ColumnOf<T>, R extends SelectableColumnOf<T>>(
  db: Kysely<Database>,
  shape: BulkInsertShape<T, C, R>,
  values: unknown[],
): CompiledQuery {
  const width = shape.columns.length;
  if (values.length === 0 || values.length % width !== 0) {
    throw new Error(`bulk insert into ${shape.table}: ${values.length} values do not make rows of ${width}`);
  }
  return { ...templateFor(db, shape, values.length / width), parameters: values };
}

function templateFor<T extends Table>(db: Kysely<Database>, shape: BulkInsertShape<T, ColumnOf<T>, SelectableColumnOf<T>>, rowCount: number): CompiledQuery {
  // Keyed by the dialect adapter: a transaction shares its store's, and SQLite and PostgreSQL stores differ.
  const adapter = db.getExecutor().adapter;
  let templates = templatesByAdapter.get(adapter);
  if (!templates) templatesByAdapter.set(adapter, (templates = new Map()));
  const key = `${shape.table}|${shape.columns.join()}|${shape.conflictColumns.join()}|${shape.returning.join()}|${rowCount}`;
  let template = templates.get(key);
  if (!template) {
    template = compileTemplate(db, shape, rowCount);
    if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value!);
    templates.set(key, template);
  }
  return template;
}

/** Compiles the insert with each value's own position as its value, and checks Kysely kept that order. */
function compileTemplate<T extends Table>(
  db: Kysely<Database>,
  shape: BulkInsertShape<T, ColumnOf<T>, SelectableColumnOf<T>>,
  rowCount: number,
): CompiledQuery {
  const width = shape.columns.length;
  const rows = Array.from({ length: rowCount }, (_, row) => Object.fromEntries(shape.columns.map((column, i) => [column, row * width + i])));
  const insert = (db as Kysely<any>)
    .insertInto(shape.table)
    .values(rows)
    .onConflict((oc) => oc.columns([...shape.conflictColumns]).doNothing());
  const compiled = (shape.returning.length > 0 ? insert.returning([...shape.returning]) : insert).compile();
  if (compiled.parameters.length !== rowCount * width || compiled.parameters.some((value, i) => value !== i)) {
    throw new Error(`bulk insert into ${shape.table}: the compiled statement does not bind one value per column in row order`);
  }
  // Only the SQL text is kept: the operation tree of a 500-row insert is ~1 MB, the text ~40 kB.
  return CompiledQuery.raw(compiled.sql);
}
