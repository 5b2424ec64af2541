import type { Network } from '../channels/connector.js';
import { newTimeOrderedId } from '../lib/ids.js';
import { DomainError } from '../lib/domain-error.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { ParsedIdentity } from './identity-input.js';

export interface NewIdentity extends ParsedIdentity {
  displayName: string | null;
  avatarUrl: string | null;
}

/** Every identity of the org's contacts, as the web marks items whose author is a contact. */
export async function contactAuthors(scope: OrgScope): Promise<{ network: Network; matchKey: string; contactId: string }[]> {
  const rows = await scope.selectFrom('contact_identities').select(['network', 'match_key', 'contact_id']).orderBy('id').execute();
  return rows.map((row) => ({ network: row.network, matchKey: row.match_key, contactId: row.contact_id }));
}

/** The contact that already has this author (network and match key), if any. */
export async function contactOfAuthor(scope: OrgScope, author: { network: Network; matchKey: string }): Promise<string | null> {
  const row = await scope
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('network', '=', author.network)
    .where('match_key', '=', author.matchKey)
    .executeTakeFirst();
  return row?.contact_id ?? null;
}

function identityTaken(identity: NewIdentity, owner: string, contactId: string): DomainError {
  const whose = owner === contactId ? 'this contact' : 'another contact';
  return new DomainError('identity_taken', `${identity.handle} on ${identity.network} already belongs to ${whose}`, 409, { contactId: owner });
}

/**
 * For a transaction that failed while adding identities: when another request took one of them
 * in the meantime (the unique key stopped this one), the same 409 as when it was taken before.
 * Called after the transaction, which PostgreSQL no longer lets run queries.
 */
export async function identityTakenMeanwhile(scope: OrgScope, contactId: string, identities: NewIdentity[], error: unknown): Promise<never> {
  if (error instanceof DomainError) throw error;
  for (const identity of identities) {
    // This transaction's own inserts were rolled back: whoever has the identity now took it meanwhile.
    const owner = await contactOfAuthor(scope, identity);
    if (owner) throw identityTaken(identity, owner, contactId);
  }
  throw error;
}

/**
 * Adds identities to a contact; an author already known as a contact (this one or another) is a
 * 409 `identity_taken` naming it, so the UI can offer to open or merge it. Returns the new ids.
 */
export async function insertIdentities(scope: OrgScope, contactId: string, identities: NewIdentity[]): Promise<string[]> {
  const now = scope.now();
  const base = Date.parse(now);
  const ids: string[] = [];
  for (const [index, identity] of identities.entries()) {
    const owner = await contactOfAuthor(scope, identity);
    if (owner) throw identityTaken(identity, owner, contactId);
    // Time-ordered ids: identities added together keep their order (the list is oldest first, then by id).
    const id = newTimeOrderedId(base + index);
    await scope.insertInto('contact_identities', {
      id,
      contact_id: contactId,
      network: identity.network,
      handle: identity.handle,
      display_name: identity.displayName,
      profile_url: identity.profileUrl,
      avatar_url: identity.avatarUrl,
      match_key: identity.matchKey,
      created_at: now,
    });
    ids.push(id);
  }
  return ids;
}
