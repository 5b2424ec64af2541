import { sql } from 'kysely';
import type { Store } from './store.js';

export interface TableShape {
  name: string;
  columns: string[];
  /** Columns that hold bytes (SQLite blob, PostgreSQL bytea): the export writes them as base64. */
  binaryColumns: string[];
  /** In key order; the export reads a table in pages along it. */
  primaryKey: string[];
  /** Foreign keys: this table's column → another table. */
  references: { column: string; table: string }[];
}

/**
 * The live schema, read from the store itself so that a module's new table is exported without
 * touching the exporter. Both implementations side by side: SQLite's pragmas, PostgreSQL's
 * information_schema limited to the current schema.
 */
export async function discoverTables(store: Store): Promise<Map<string, TableShape>> {
  return store.dialect === 'sqlite' ? discoverSqlite(store) : discoverPostgres(store);
}

async function discoverSqlite(store: Store): Promise<Map<string, TableShape>> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db);
  const shapes = new Map<string, TableShape>();
  for (const { name } of tables.rows) {
    const columns = await sql<{ name: string; type: string; pk: number }>`select name, type, pk from pragma_table_info(${name})`.execute(store.db);
    const keys = await sql<{ from: string; table: string }>`select "from", "table" from pragma_foreign_key_list(${name})`.execute(store.db);
    shapes.set(name, {
      name,
      columns: columns.rows.map((c) => c.name),
      // The declared type, as SQLite's own affinity rule reads it: "blob" anywhere in it.
      binaryColumns: columns.rows.filter((c) => /blob/i.test(c.type)).map((c) => c.name),
      primaryKey: columns.rows
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: keys.rows.map((k) => ({ column: k.from, table: k.table })),
    });
  }
  return shapes;
}

async function discoverPostgres(store: Store): Promise<Map<string, TableShape>> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() order by table_name, ordinal_position`.execute(store.db);
  const primaryKeys = await sql<{ table_name: string; column_name: string }>`
    select kcu.table_name, kcu.column_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.constraint_schema = tc.constraint_schema and kcu.table_name = tc.table_name
    where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
    order by kcu.table_name, kcu.ordinal_position`.execute(store.db);
  const keys = await sql<{ table_name: string; column_name: string; foreign_table: string }>`
    select kcu.table_name, kcu.column_name, ccu.table_name as foreign_table
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.constraint_schema = tc.constraint_schema
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.constraint_schema = tc.constraint_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(store.db);
  const shapes = new Map<string, TableShape>();
  for (const row of columns.rows) {
    const shape = shapes.get(row.table_name) ?? { name: row.table_name, columns: [], binaryColumns: [], primaryKey: [], references: [] };
    shape.columns.push(row.column_name);
    if (row.data_type === 'bytea') shape.binaryColumns.push(row.column_name);
    shapes.set(row.table_name, shape);
  }
  for (const key of primaryKeys.rows) shapes.get(key.table_name)?.primaryKey.push(key.column_name);
  for (const key of keys.rows) shapes.get(key.table_name)?.references.push({ column: key.column_name, table: key.foreign_table });
  return shapes;
}

/** Tables in an order where every referenced table comes before the tables that point to it. */
export function insertionOrder(tables: TableShape[]): TableShape[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableShape[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: TableShape, path: string[]) => {
    if (state.get(table.name) === 'done') return;
    if (state.get(table.name) === 'visiting') throw new Error(`Foreign keys form a cycle: ${[...path, table.name].join(' → ')}`);
    state.set(table.name, 'visiting');
    for (const ref of table.references) {
      const target = byName.get(ref.table);
      if (target && target !== table) visit(target, [...path, table.name]);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, []);
  return ordered;
}
