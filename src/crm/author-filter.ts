import { sql, type RawBuilder } from 'kysely';

/**
 * The condition "this item's author is one of the org's contacts", for a query over
 * `stream_items`: the streams module's from-contacts filter asks the CRM through this instead of
 * reading its tables. One probe of the unique (org_id, network, match_key) index per item.
 */
export function authorIsContact(): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from contact_identities where contact_identities.org_id = stream_items.org_id and contact_identities.network = stream_items.network and contact_identities.match_key = stream_items.author_key)`;
}
