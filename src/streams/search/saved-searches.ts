import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import type { Dialect } from '../../store/store.js';
import { whereFiltersPass } from '../filters.js';
import type { ColumnFilters } from '../schemas.js';
import { parseSearchQuery } from './query.js';
import { whereFewRowsMatch } from './search.js';

export interface SavedSearchMatch {
  columnId: string;
  itemId: string;
}

// Well below both dialects' bound-parameter limits.
const IDS_PER_STATEMENT = 500;

/**
 * Which of the org's saved-search columns each newly stored item belongs in, so it can reach
 * those columns live. A saved search reads every stored item, so an item that was already stored
 * can never newly match: only `newItemIds` are checked. Without saved-search columns this is one
 * indexed read of the org's columns; columns sharing a query share one statement.
 */
export async function matchSavedSearches(db: Kysely<Database>, dialect: Dialect, orgId: string, newItemIds: string[]): Promise<SavedSearchMatch[]> {
  if (newItemIds.length === 0) return [];
  const columns = await db
    .selectFrom('stream_columns')
    .select(['id', 'target', 'filters'])
    .where('org_id', '=', orgId)
    .where('kind', '=', 'saved_search')
    .execute();
  if (columns.length === 0) return [];
  const columnsByQuery = new Map<string, string[]>();
  for (const column of columns) {
    // Queries that parse to the same terms, with the same filters, match the same items.
    const key = JSON.stringify([parseSearchQuery(column.target ?? '').terms, column.filters]);
    columnsByQuery.set(key, [...(columnsByQuery.get(key) ?? []), column.id]);
  }
  const matches: SavedSearchMatch[] = [];
  for (const [key, columnIds] of columnsByQuery) {
    const [terms, filters] = JSON.parse(key) as [string[], string];
    const text = terms.join(' ');
    for (let start = 0; start < newItemIds.length; start += IDS_PER_STATEMENT) {
      const ids = newItemIds.slice(start, start + IDS_PER_STATEMENT);
      const query = whereFiltersPass(
        db.selectFrom('stream_items').where('stream_items.org_id', '=', orgId).where('stream_items.id', 'in', ids),
        JSON.parse(filters) as ColumnFilters,
      );
      const rows = await whereFewRowsMatch(dialect, query, text).select('stream_items.id').execute();
      for (const row of rows) for (const columnId of columnIds) matches.push({ columnId, itemId: row.id });
    }
  }
  return matches;
}
