import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { TableShape } from '../../store/schema-discovery.js';

export type RowFilter = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

/** Small enough that a first page of the largest rows (5 MB images) stays well under memory; later pages adapt. */
const FIRST_PAGE_ROWS = 16;
const MAX_PAGE_ROWS = 1000;
/** About this much data per page: many small rows, or a few attachments. */
const PAGE_BYTES = 8 * 1024 * 1024;

/**
 * The rows of one table that `filter` selects, in pages along the primary key (each page one
 * indexed range read after the last key seen), so an export never holds a whole table in memory.
 */
export async function* tablePages(db: Kysely<any>, table: TableShape, columns: string[], filter: RowFilter): AsyncGenerator<Record<string, unknown>[]> {
  const key = table.primaryKey;
  if (key.length === 0) throw new Error(`Cannot export ${table.name}: it has no primary key to read it in pages by`);
  let limit = FIRST_PAGE_ROWS;
  let last: Record<string, unknown> | undefined;
  for (;;) {
    const after = last;
    let query = db
      .selectFrom(table.name)
      .select(columns)
      .where((eb) => (after ? eb.and([filter(eb), afterKey(eb, key, after)]) : filter(eb)));
    for (const column of key) query = query.orderBy(column);
    const rows = await query.limit(limit).execute();
    if (rows.length) yield rows;
    if (rows.length < limit) return;
    last = rows.at(-1);
    limit = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.floor((limit * PAGE_BYTES) / Math.max(1, approximateBytes(rows)))));
  }
}

/** Rows whose key comes after `last`'s, spelled out column by column (row-value comparison reads worse in Kysely). */
function afterKey(eb: ExpressionBuilder<any, any>, key: string[], last: Record<string, unknown>): Expression<SqlBool> {
  return eb.or(key.map((column, index) => eb.and([...key.slice(0, index).map((before) => eb(before, '=', last[before])), eb(column, '>', last[column])])));
}

function approximateBytes(rows: Record<string, unknown>[]): number {
  let bytes = 0;
  for (const row of rows) {
    for (const value of Object.values(row)) bytes += typeof value === 'string' ? value.length : value instanceof Uint8Array ? value.byteLength : 8;
  }
  return bytes;
}
