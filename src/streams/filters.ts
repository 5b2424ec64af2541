import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/database.js';
import { contactAuthors } from './contact-authors.js';
import type { ColumnFilters } from './schemas.js';
import { containsPattern } from './search/query.js';

export const hasFilters = (filters: ColumnFilters): boolean =>
  Boolean(filters.language || filters.hasLink || filters.fromContactsOnly || filters.excludeKeywords?.length);

/**
 * A column's filters on any query that reads `stream_items`: applied when reading (and when a
 * saved search matches new items live), so changing a filter applies to stored items too.
 */
export function whereFiltersPass<Query extends SelectQueryBuilder<Database, any, any>>(query: Query, filters: ColumnFilters): Query {
  let q = query;
  if (filters.language) {
    const language = filters.language.toLowerCase();
    q = q.where(sql<boolean>`(lower(stream_items.language) = ${language} or lower(stream_items.language) like ${`${language}-%`})`) as Query;
  }
  if (filters.hasLink) q = q.where(sql<boolean>`stream_items.links != '[]'`) as Query;
  if (filters.fromContactsOnly) q = q.where(contactAuthors().isContact()) as Query;
  for (const keyword of filters.excludeKeywords ?? []) {
    q = q.where(sql<boolean>`stream_items.search_text not like ${containsPattern(keyword.toLowerCase())} escape '\\'`) as Query;
  }
  return q;
}
