import { sql } from 'kysely';
import type { ContactFilters } from '../../core/api/crm-requests.js';
import { DomainError } from '../lib/domain-error.js';
import { containsPattern } from '../streams/search/query.js';
import type { OrgScope } from '../teams/org-scope.js';
import { crmSettings } from './settings.js';

export type { ContactFilters };

/** The listed contact's id inside a correlated subquery (the subquery goes through the scope too). */
const outerId = sql.ref<string>('contacts.id');

/** A stage the org does not have is a mistake worth saying (a renamed stage in a bookmark), not an empty list. */
async function knownStage(scope: OrgScope, stage: string): Promise<string> {
  const { stages } = await crmSettings(scope);
  if (!stages.includes(stage))
    throw new DomainError('unknown_stage', `"${stage}" is not one of this organization's stages (${stages.join(', ')})`, 400, { stages });
  return stage;
}

/**
 * The org's contacts narrowed by every filter given, all combined with AND: `q` a case-insensitive
 * contains over name, email, company and handles; `tag`; `stage`; `owner` (a user id, `me` for the
 * caller, `none` for nobody); `minScore` (inclusive).
 */
export async function filteredContacts(scope: OrgScope, filters: ContactFilters) {
  let query = scope.selectFrom('contacts').selectAll('contacts');
  if (filters.q) {
    const pattern = containsPattern(filters.q.toLowerCase());
    const contains = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    query = query.where((eb) =>
      eb.or([
        contains('contacts.sort_name'),
        contains('contacts.email'),
        contains('contacts.company'),
        eb.exists(
          scope
            .selectFrom('contact_identities')
            .select('contact_identities.id')
            .where('contact_identities.contact_id', '=', outerId)
            .where(contains('contact_identities.handle')),
        ),
      ]),
    );
  }
  if (filters.tag) {
    const tag = filters.tag.toLowerCase();
    query = query.where((eb) =>
      eb.exists(scope.selectFrom('contact_tags').select('contact_tags.tag').where('contact_tags.contact_id', '=', outerId).where('contact_tags.tag', '=', tag)),
    );
  }
  if (filters.stage !== undefined) query = query.where('contacts.stage', '=', await knownStage(scope, filters.stage));
  if (filters.owner === 'none') query = query.where('contacts.owner_user_id', 'is', null);
  else if (filters.owner !== undefined) query = query.where('contacts.owner_user_id', '=', filters.owner === 'me' ? scope.actor.userId : filters.owner);
  if (filters.minScore !== undefined) query = query.where('contacts.score', '>=', filters.minScore);
  return query;
}
