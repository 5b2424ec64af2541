import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../../store/database.js';
import { containsText, textIndexMatches } from '../../store/dialect-sql.js';
import type { Dialect } from '../../store/store.js';
import type { ItemCursor } from '../cursor.js';
import { whereFiltersPass } from '../filters.js';
import type { ColumnFilters } from '../schemas.js';
import { codePoints, containsPattern, coveringTrigrams, ftsPhrase, parseSearchQuery, TRIGRAM_MIN_LENGTH } from './query.js';

type ItemQuery = SelectQueryBuilder<Database, 'stream_items', {}>;

/**
 * Restricts a query on stream_items to items matching every term. The two dialects side by side:
 * - SQLite: the FTS5 trigram index (stream_items_fts, without positions) narrows to items holding
 *   every term's covering trigrams, and instr() on the stored text keeps those holding each whole
 *   term. Terms of 1–2 characters ("障害", "AI") have no trigram and are checked with instr()
 *   alone while walking the org's items newest first (bench/column-read-search.ts measures it).
 * - PostgreSQL: LIKE on search_text, served by the pg_trgm GIN index for any term length.
 */
export function whereMatches(dialect: Dialect, query: ItemQuery, text: string): ItemQuery {
  const { terms } = parseSearchQuery(text);
  const phrases = [...new Set(terms.filter((t) => codePoints(t) >= TRIGRAM_MIN_LENGTH).flatMap(coveringTrigrams))].map(ftsPhrase);
  const conditions = textIndexMatches(
    dialect,
    'stream_items.search_text',
    terms.map((term) => ({ term, pattern: containsPattern(term) })),
    { table: 'stream_items_fts', rowid: 'stream_items.seq', phrases },
  );
  return conditions.reduce((q, condition) => q.where(condition), query);
}

/**
 * The same match as whereMatches (same terms, same AND of substrings), for a query already narrowed
 * to a few rows by id, such as the items one ingest batch just stored: each term is looked up in
 * the row's stored text, not in the index. SQLite's FTS5 would read every row of the store that
 * holds the term before intersecting with the few rows; instr() on those rows costs nothing.
 */
export function whereFewRowsMatch(dialect: Dialect, query: ItemQuery, text: string): ItemQuery {
  const { terms } = parseSearchQuery(text);
  return terms.reduce((q, term) => q.where(containsText(dialect, 'stream_items.search_text', term)), query);
}

/** The org's stored items matching `text`, newest first, older than `before`. */
export function searchItems(
  db: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  text: string,
  options: { limit: number; before: ItemCursor | null; filters?: ColumnFilters },
) {
  let query = whereFiltersPass(db.selectFrom('stream_items').where('stream_items.org_id', '=', orgId), options.filters ?? {});
  if (options.before) {
    const { createdAt, itemId } = options.before;
    query = query.where((eb) =>
      eb.or([eb('stream_items.created_at', '<', createdAt), eb.and([eb('stream_items.created_at', '=', createdAt), eb('stream_items.id', '<', itemId)])]),
    );
  }
  return whereMatches(dialect, query, text)
    .select([
      'stream_items.id',
      'stream_items.view',
      'stream_items.metrics',
      'stream_items.channel_account_id',
      'stream_items.created_at',
      'stream_items.image_urls',
    ])
    .orderBy('stream_items.created_at', 'desc')
    .orderBy('stream_items.id', 'desc')
    .limit(options.limit)
    .execute();
}
