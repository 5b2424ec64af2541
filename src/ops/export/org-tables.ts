import type { TableShape } from '../../store/schema-discovery.js';

/**
 * What belongs to an org: the org row, every table with an `org_id` column (so a new module's
 * tables are included by adding that column, which OrgScope requires anyway), and the users
 * those rows point to (members, inviters). Sessions, tokens and login failures stay behind.
 */
export function orgOwnedTables(shapes: Map<string, TableShape>): TableShape[] {
  return [...shapes.values()].filter((t) => t.columns.includes('org_id')).sort((a, b) => a.name.localeCompare(b.name));
}

export const exportableTableNames = (shapes: Map<string, TableShape>): Set<string> => new Set(['orgs', 'users', ...orgOwnedTables(shapes).map((t) => t.name)]);

/** Columns of org-owned tables that point at users: their values are the users to export. */
export function userReferences(tables: TableShape[]): { table: string; column: string }[] {
  return tables.flatMap((t) => t.references.filter((r) => r.table === 'users').map((r) => ({ table: t.name, column: r.column })));
}
