import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import type { OrgScope } from '../teams/org-scope.js';
import { contactAuthors, type AuthorRef } from './contact-authors.js';
import { whereFiltersPass } from './filters.js';
import type { ColumnFilters } from './schemas.js';

export type ColumnItemsQuery = SelectQueryBuilder<Database, 'column_items' | 'stream_items', {}>;

/** A column's memberships joined to their items, its filters applied. */
export function columnItems(scope: OrgScope, columnId: string, filters: ColumnFilters): ColumnItemsQuery {
  const query = scope
    .selectFrom('column_items')
    .innerJoin('stream_items', 'stream_items.id', 'column_items.item_id')
    .where('column_items.column_id', '=', columnId);
  return whereFiltersPass(query, filters);
}

/**
 * Up to this many contact identities, a column filtered to contacts is read author by author:
 * one range of the (org, author_key, created_at) index each, instead of probing the column's
 * items one by one until a page is full, which takes 200 ms when contacts wrote 0.1 % of 200 000
 * items (bench/column-read-contacts.ts).
 */
const AUTHOR_BY_AUTHOR_MAX = 32;

/** The contact authors to walk one by one for these filters, or null to read the column as usual. */
export const authorsToWalk = async (scope: OrgScope, filters: ColumnFilters): Promise<AuthorRef[] | null> =>
  filters.fromContactsOnly ? contactAuthors().fewAuthors(scope, AUTHOR_BY_AUTHOR_MAX) : null;

/** One author's items in a column, the other filters applied: from the author index, probing membership. */
export function authorItems(scope: OrgScope, columnId: string, filters: ColumnFilters, author: AuthorRef): ColumnItemsQuery {
  const query = scope
    .selectFrom('stream_items')
    .innerJoin('column_items', (join) => join.onRef('column_items.item_id', '=', 'stream_items.id').on('column_items.column_id', '=', columnId))
    .where('stream_items.author_key', '=', author.matchKey)
    .where('stream_items.network', '=', author.network);
  return whereFiltersPass(query, { ...filters, fromContactsOnly: false }) as ColumnItemsQuery;
}
