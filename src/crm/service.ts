import { networkRules } from '../../core/networks/index.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import type { ImageUrlSigner } from '../image-proxy/signature.js';
import { authoredItemsPage, itemAuthor, type ItemAuthor } from '../streams/item-authors.js';
import type { ItemPageJson } from '../streams/item-pages.js';
import type { OrgScope } from '../teams/org-scope.js';
import { filteredContacts, type ContactFilters } from './contact-filters.js';
import { decodeContactCursor, encodeContactCursor } from './cursor.js';
import { syncEmailKey } from './email-match.js';
import { contactOfAuthor, identityTakenMeanwhile, insertIdentities, type NewIdentity } from './identities.js';
import { parseIdentity } from './identity-input.js';
import { type EditContactBody, type IdentityInput, type NewContactBody } from '../../core/api/crm-requests.js';
import { mergePipelineFields, moveActivity } from './merge-pipeline.js';
import { crmSettings } from './settings.js';
import { presentContacts, type ContactRow, type ContactView } from './views.js';
import type { ContactPage } from '../../core/api/crm.js';

export type { ContactPage };

const notFound = () => new DomainError('contact_not_found', 'Contact not found', 404);

/** Trimmed, lowercased, unique: the stored form of a contact's tags (the schema caps how many). */
const normalTags = (tags: string[]): string[] => [...new Set(tags.map((t) => t.trim().toLowerCase()))];

export async function contactRow(scope: OrgScope, contactId: string): Promise<ContactRow> {
  const row = await scope.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export async function contactView(scope: OrgScope, contactId: string): Promise<ContactView> {
  return (await presentContacts(scope, [await contactRow(scope, contactId)]))[0]!;
}

/** Contacts by display name (case-insensitive), then id, narrowed by the filters (contact-filters.ts). */
export async function listContacts(scope: OrgScope, options: ContactFilters & { before?: string | undefined; limit: number }): Promise<ContactPage> {
  let query = await filteredContacts(scope, options);
  if (options.before !== undefined) {
    const after = decodeContactCursor(options.before);
    query = query.where((eb) =>
      eb.or([eb('contacts.sort_name', '>', after.sortName), eb.and([eb('contacts.sort_name', '=', after.sortName), eb('contacts.id', '>', after.id)])]),
    );
  }
  const rows = await query.orderBy('contacts.sort_name').orderBy('contacts.id').limit(options.limit).execute();
  const last = rows.at(-1);
  return {
    contacts: await presentContacts(scope, rows),
    nextCursor: rows.length === options.limit && last ? encodeContactCursor({ sortName: last.sort_name, id: last.id }) : null,
  };
}

export async function listTags(scope: OrgScope): Promise<{ tag: string; count: number }[]> {
  const rows = await scope
    .selectFrom('contact_tags')
    .select((eb) => ['tag', eb.fn.countAll<number>().as('n')])
    .groupBy('tag')
    .execute();
  return rows.map((r) => ({ tag: r.tag, count: Number(r.n) })).sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

async function replaceTags(scope: OrgScope, contactId: string, tags: string[]): Promise<void> {
  await scope.deleteFrom('contact_tags').where('contact_id', '=', contactId).execute();
  await scope.insertInto(
    'contact_tags',
    tags.map((tag) => ({ contact_id: contactId, tag })),
  );
}

async function insertContact(
  scope: OrgScope,
  input: { displayName: string; email: string | null; company: string | null; tags: string[]; identities: NewIdentity[]; createdByUserId?: string | null },
): Promise<string> {
  const id = newId();
  const now = scope.now();
  await scope.insertInto('contacts', {
    id,
    display_name: input.displayName,
    sort_name: input.displayName.toLowerCase(),
    email: input.email,
    company: input.company,
    created_by_user_id: input.createdByUserId === undefined ? scope.actor.userId : input.createdByUserId,
    created_at: now,
    updated_at: now,
    stage: (await crmSettings(scope)).stages[0]!,
  });
  await syncEmailKey(scope, id, input.email);
  await replaceTags(scope, id, input.tags);
  await insertIdentities(scope, id, input.identities);
  return id;
}

const typedIdentity = (input: IdentityInput): NewIdentity => ({ ...parseIdentity(input.network, input.handle), displayName: null, avatarUrl: null });

export async function createContact(scope: OrgScope, input: NewContactBody): Promise<ContactView> {
  const tags = normalTags(input.tags ?? []);
  const identities = (input.identities ?? []).map(typedIdentity);
  return scope
    .transaction(async (tx) => {
      const id = await insertContact(tx, { displayName: input.displayName, email: input.email ?? null, company: input.company ?? null, tags, identities });
      await tx.audit('contact.created', { contactId: id, displayName: input.displayName });
      return contactView(tx, id);
    })
    .catch((error: unknown) => identityTakenMeanwhile(scope, '', identities, error));
}

/**
 * The handle an identity made from an item shows: the author's own, unless the network cannot read
 * it as an identity (a local Mastodon account's acct `alice` has no server) and can read the
 * profile URL instead (`alice@social.example`).
 */
function authorHandle(author: ItemAuthor): string {
  const rules = networkRules(author.network);
  if (!author.profileUrl || rules.parseIdentity(author.handle).ok) return author.handle;
  const fromProfile = rules.parseIdentity(author.profileUrl);
  // An unusual profile URL, or a network whose identities are names: the handle is still a fine label.
  return fromProfile.ok && fromProfile.profileUrl !== null ? fromProfile.handle : author.handle;
}

/**
 * The contact of an item's author: the one that has the author already, or a new one made from
 * the item. Safe to call concurrently: the identity's unique key lets one create win and the
 * others find its contact. `automatic` (the inbox making contacts by itself) records no creator.
 */
export async function contactFromItem(
  scope: OrgScope,
  itemId: string,
  options: { automatic?: boolean } = {},
): Promise<{ contact: ContactView; created: boolean }> {
  const author = await itemAuthor(scope, itemId);
  if (!author) throw new DomainError('item_not_found', 'Item not found', 404);
  const known = { network: author.network, matchKey: author.authorKey };
  try {
    return await scope.transaction(async (tx) => {
      const existing = await contactOfAuthor(tx, known);
      if (existing) return { contact: await contactView(tx, existing), created: false };
      const displayName = (author.displayName.trim() || author.handle).slice(0, 200);
      // The item's key, not one recomputed here: it is what this author's items are stored under.
      const identity: NewIdentity = {
        ...known,
        handle: authorHandle(author),
        profileUrl: author.profileUrl,
        displayName: author.displayName || null,
        avatarUrl: author.avatarUrl,
      };
      const id = await insertContact(tx, {
        displayName,
        email: null,
        company: null,
        tags: [],
        identities: [identity],
        ...(options.automatic ? { createdByUserId: null } : {}),
      });
      await tx.audit('contact.created', { contactId: id, displayName, fromItemId: itemId, ...(options.automatic ? { automatic: true } : {}) });
      return { contact: await contactView(tx, id), created: true };
    });
  } catch (error) {
    // Two clicks at once: the other request made the contact first (the unique key stopped this one).
    const winner = await contactOfAuthor(scope, known);
    if (winner) return { contact: await contactView(scope, winner), created: false };
    throw error;
  }
}

export async function editContact(scope: OrgScope, contactId: string, input: EditContactBody): Promise<ContactView> {
  const tags = input.tags === undefined ? undefined : normalTags(input.tags);
  return scope.transaction(async (tx) => {
    await contactRow(tx, contactId);
    await tx
      .updateTable('contacts')
      .set({
        ...(input.displayName !== undefined ? { display_name: input.displayName, sort_name: input.displayName.toLowerCase() } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.company !== undefined ? { company: input.company } : {}),
        updated_at: tx.now(),
      })
      .where('id', '=', contactId)
      .execute();
    if (tags) await replaceTags(tx, contactId, tags);
    if (input.email !== undefined) await syncEmailKey(tx, contactId, input.email);
    await tx.audit('contact.updated', { contactId, fields: Object.keys(input).filter((k) => input[k as keyof EditContactBody] !== undefined) });
    return contactView(tx, contactId);
  });
}

/** Notes, identities and tags go with the contact (foreign keys cascade); stored items stay. */
export async function deleteContact(scope: OrgScope, contactId: string): Promise<void> {
  await scope.transaction(async (tx) => {
    const row = await contactRow(tx, contactId);
    await tx.deleteFrom('contacts').where('id', '=', contactId).execute();
    await tx.audit('contact.deleted', { contactId, displayName: row.display_name });
  });
}

export async function addIdentity(scope: OrgScope, contactId: string, input: IdentityInput): Promise<ContactView> {
  const identity = typedIdentity(input);
  return scope
    .transaction(async (tx) => {
      await contactRow(tx, contactId);
      const [identityId] = await insertIdentities(tx, contactId, [identity]);
      await tx.updateTable('contacts').set({ updated_at: tx.now() }).where('id', '=', contactId).execute();
      await tx.audit('contact.identity_added', { contactId, identityId, network: identity.network, handle: identity.handle });
      return contactView(tx, contactId);
    })
    .catch((error: unknown) => identityTakenMeanwhile(scope, contactId, [identity], error));
}

export async function removeIdentity(scope: OrgScope, contactId: string, identityId: string): Promise<void> {
  await scope.transaction(async (tx) => {
    await contactRow(tx, contactId);
    const identity = await tx
      .selectFrom('contact_identities')
      .select(['network', 'handle'])
      .where('id', '=', identityId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    if (!identity) throw new DomainError('identity_not_found', 'That identity is not one of this contact', 404);
    await tx.deleteFrom('contact_identities').where('id', '=', identityId).execute();
    await tx.updateTable('contacts').set({ updated_at: tx.now() }).where('id', '=', contactId).execute();
    await tx.audit('contact.identity_removed', { contactId, identityId, network: identity.network, handle: identity.handle });
  });
}

/** Moves the other contact's identities, notes and tags here, fills empty email/company from it, and deletes it. */
export async function mergeContacts(scope: OrgScope, contactId: string, otherContactId: string): Promise<ContactView> {
  if (contactId === otherContactId) throw new DomainError('merge_with_itself', 'A contact cannot be merged with itself', 422);
  return scope.transaction(async (tx) => {
    const kept = await contactRow(tx, contactId);
    const other = await contactRow(tx, otherContactId);
    await tx.updateTable('contact_identities').set({ contact_id: contactId }).where('contact_id', '=', otherContactId).execute();
    await tx.updateTable('contact_notes').set({ contact_id: contactId }).where('contact_id', '=', otherContactId).execute();
    await moveActivity(tx, otherContactId, contactId);
    const keptTags = new Set((await tx.selectFrom('contact_tags').select('tag').where('contact_id', '=', contactId).execute()).map((t) => t.tag));
    const otherTags = (await tx.selectFrom('contact_tags').select('tag').where('contact_id', '=', otherContactId).execute()).map((t) => t.tag);
    // Both contacts' tags are kept, even past the per-contact cap: merging loses nothing the team wrote.
    await tx.insertInto(
      'contact_tags',
      otherTags.filter((tag) => !keptTags.has(tag)).map((tag) => ({ contact_id: contactId, tag })),
    );
    await tx
      .updateTable('contacts')
      .set({ email: kept.email ?? other.email, company: kept.company ?? other.company, updated_at: tx.now() })
      .where('id', '=', contactId)
      .execute();
    await tx.deleteFrom('contacts').where('id', '=', otherContactId).execute();
    await syncEmailKey(tx, contactId, kept.email ?? other.email);
    await mergePipelineFields(tx, kept, other);
    await tx.audit('contact.merged', { contactId, mergedContactId: otherContactId, mergedDisplayName: other.display_name });
    return contactView(tx, contactId);
  });
}

/** Every stored item by any of the contact's identities, newest first, as a column page. */
export async function contactTimeline(
  scope: OrgScope,
  signer: ImageUrlSigner,
  contactId: string,
  options: { before?: string | undefined; limit: number },
): Promise<ItemPageJson> {
  await contactRow(scope, contactId);
  const identities = await scope.selectFrom('contact_identities').select(['network', 'match_key']).where('contact_id', '=', contactId).execute();
  return authoredItemsPage(
    scope,
    signer,
    identities.map((i) => ({ network: i.network, matchKey: i.match_key })),
    options,
  );
}
