import { sql, type RawBuilder } from 'kysely';
import type { Network } from '../channels/connector.js';
import type { OrgScope } from '../teams/org-scope.js';

/**
 * The condition "this item's author is one of the org's contacts", for a query over
 * `stream_items`: the streams module's from-contacts filter asks the CRM through this (bound to
 * streams' ContactAuthors port by src/app/module-ports.ts) instead of reading its tables. One probe of the unique (org_id, network, match_key) index per item.
 */
export function authorIsContact(): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from contact_identities where contact_identities.org_id = stream_items.org_id and contact_identities.network = stream_items.network and contact_identities.match_key = stream_items.author_key)`;
}

/**
 * Every contact identity of the org when there are at most `max`, else null: with few contacts, a
 * from-contacts column is read author by author rather than by probing each of its items.
 */
export async function fewContactAuthors(scope: OrgScope, max: number): Promise<{ network: Network; matchKey: string }[] | null> {
  const rows = await scope
    .selectFrom('contact_identities')
    .select(['network', 'match_key'])
    .limit(max + 1)
    .execute();
  return rows.length > max ? null : rows.map((row) => ({ network: row.network, matchKey: row.match_key }));
}
