import type { OrgScope } from '../teams/org-scope.js';
import { authorItems, authorsToWalk, columnItems } from './column-queries.js';
import { hasFilters } from './filters.js';
import type { ColumnFilters } from './schemas.js';
import type { ColumnRow } from './tables.js';

/** Unread counts stop here: a badge says "1000" for anything larger, and counting stays cheap. */
export const UNREAD_CAP = 1000;

/** Unread items per column, each count capped at UNREAD_CAP. */
export async function unreadCounts(scope: OrgScope, columns: ColumnRow[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const column of columns) {
    if (column.kind === 'saved_search') {
      counts.set(column.id, 0);
      continue;
    }
    const filters = JSON.parse(column.filters) as ColumnFilters;
    const authors = await authorsToWalk(scope, filters);
    if (authors) {
      let total = 0;
      for (const author of authors) {
        if (total >= UNREAD_CAP) break;
        const unread = authorItems(scope, column.id, filters, author).where('column_items.read', '=', 0).select('column_items.item_id');
        total += Number(
          (
            await scope.shared
              .selectFrom(unread.limit(UNREAD_CAP).as('unread'))
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      }
      counts.set(column.id, Math.min(total, UNREAD_CAP));
      continue;
    }
    const unread = hasFilters(filters)
      ? columnItems(scope, column.id, filters).where('column_items.read', '=', 0).select('column_items.item_id')
      : scope.selectFrom('column_items').where('column_items.column_id', '=', column.id).where('column_items.read', '=', 0).select('column_items.item_id');
    const row = await scope.shared
      .selectFrom(unread.limit(UNREAD_CAP).as('unread'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts.set(column.id, Number(row.n));
  }
  return counts;
}
