import type {
  ContactAuthor,
  ContactFromItemAnswer,
  ContactImportResult,
  ContactIdentityView,
  ContactNoteView,
  ContactPageAnswer,
  ContactTag,
  ContactView,
  ContactWithNotesAnswer,
} from '@core/api/crm.js';
import type { ItemPage as ServerItemPage } from '@core/api/streams.js';
import type { EditContactBody, IdentityInput, NewContactBody } from '@core/api/crm-requests.js';
import { ApiError, request, segment } from './client.js';
import { proxiedImageUrl, proxyItemImages, type ImageSignatures } from './image-proxy.js';
import type { ItemPage } from './streams.js';

/** Shapes of the contacts API (docs/crm.md): the server's own answers (core/api/crm.ts). */
export { NETWORKS as CONTACT_NETWORKS } from '@core/networks/index.js';
export type { Network as ContactNetwork } from '@core/api/channels.js';
export type Contact = ContactView;
export type ContactIdentity = ContactIdentityView;
export type ContactNote = ContactNoteView;
export type NewContact = NewContactBody;
export type ContactEdit = EditContactBody;
export type ContactPage = Omit<ContactPageAnswer, 'imageSignatures'>;
export type { ContactAuthor, ContactTag, IdentityInput };

type WithSignatures<T> = T & { imageSignatures?: ImageSignatures };

/** The contact as the page shows it: its avatars through the image proxy, unsigned ones left out. */
export function proxyContactImages(orgId: string, contact: Contact, signatures: ImageSignatures | undefined): Contact {
  const proxy = (url: string | null) => (url ? proxiedImageUrl(orgId, url, signatures) : null);
  return {
    ...contact,
    avatarUrl: proxy(contact.avatarUrl),
    identities: contact.identities.map((identity) => ({ ...identity, avatarUrl: proxy(identity.avatarUrl) })),
  };
}

/** The contact that already holds an identity, named by a 409 identity_taken; null for any other failure. */
export function identityHolder(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'identity_taken') return null;
  const contactId = (error.details as { contactId?: unknown } | undefined)?.contactId;
  return typeof contactId === 'string' ? contactId : null;
}

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;
const contactPath = (orgId: string, contactId: string) => `${org(orgId)}/contacts/${segment(contactId)}`;

const withContact = (orgId: string) => (r: WithSignatures<{ contact: Contact }>) => ({ contact: proxyContactImages(orgId, r.contact, r.imageSignatures) });

/** The list's filters (docs/crm.md): `owner` is a user id, `me` or `none`. */
export interface ContactFilters {
  q?: string;
  tag?: string | null;
  stage?: string | null;
  owner?: string | null;
  minScore?: number | null;
}

export interface ContactQuery extends ContactFilters {
  before?: string | null;
  limit?: number;
}

/** The filters as query parameters, leaving out the unset ones. */
function filterParams({ q, tag, stage, owner, minScore }: ContactFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (q?.trim()) query.set('q', q.trim());
  if (tag) query.set('tag', tag);
  if (stage) query.set('stage', stage);
  if (owner) query.set('owner', owner);
  if (minScore !== null && minScore !== undefined) query.set('minScore', String(minScore));
  return query;
}

export function listContacts(orgId: string, { before, limit = 50, ...filters }: ContactQuery): Promise<ContactPage> {
  const query = filterParams(filters);
  query.set('limit', String(limit));
  if (before) query.set('before', before);
  return request<ContactPageAnswer>('GET', `${org(orgId)}/contacts?${query}`).then((r) => ({
    contacts: r.contacts.map((contact) => proxyContactImages(orgId, contact, r.imageSignatures)),
    nextCursor: r.nextCursor,
  }));
}

export const listContactAuthors = (orgId: string) => request<{ authors: ContactAuthor[] }>('GET', `${org(orgId)}/contacts/authors`).then((r) => r.authors);

/** Where the browser downloads the contacts as CSV, with the list's current filters. */
export function contactsCsvUrl(orgId: string, filters: ContactFilters): string {
  const search = filterParams(filters).toString();
  return `${org(orgId)}/contacts/export.csv${search ? `?${search}` : ''}`;
}

export const listContactTags = (orgId: string) => request<{ tags: ContactTag[] }>('GET', `${org(orgId)}/contacts/tags`).then((r) => r.tags);

export const createContact = (orgId: string, input: NewContact, idempotencyKey: string) =>
  request<WithSignatures<{ contact: Contact }>>('POST', `${org(orgId)}/contacts`, input, { idempotencyKey }).then(withContact(orgId));

/** `created` is false when the item's author already was a contact. */
export const contactFromItem = (orgId: string, itemId: string) =>
  request<ContactFromItemAnswer>('POST', `${org(orgId)}/contacts/from-item`, { itemId }).then((r) => ({
    contact: proxyContactImages(orgId, r.contact, r.imageSignatures),
    created: r.created,
  }));

export const getContact = (orgId: string, contactId: string) =>
  request<ContactWithNotesAnswer>('GET', contactPath(orgId, contactId)).then((r) => ({
    contact: proxyContactImages(orgId, r.contact, r.imageSignatures),
    notes: r.notes,
  }));

export const editContact = (orgId: string, contactId: string, edit: ContactEdit) =>
  request<WithSignatures<{ contact: Contact }>>('PATCH', contactPath(orgId, contactId), edit).then(withContact(orgId));

export const deleteContact = (orgId: string, contactId: string) => request<void>('DELETE', contactPath(orgId, contactId));

export const addIdentity = (orgId: string, contactId: string, input: IdentityInput, idempotencyKey: string) =>
  request<WithSignatures<{ contact: Contact }>>('POST', `${contactPath(orgId, contactId)}/identities`, input, { idempotencyKey }).then(withContact(orgId));

export const removeIdentity = (orgId: string, contactId: string, identityId: string) =>
  request<void>('DELETE', `${contactPath(orgId, contactId)}/identities/${segment(identityId)}`);

export const addNote = (orgId: string, contactId: string, body: string, idempotencyKey: string) =>
  request<{ note: ContactNote }>('POST', `${contactPath(orgId, contactId)}/notes`, { body }, { idempotencyKey }).then((r) => r.note);

export const deleteNote = (orgId: string, contactId: string, noteId: string) =>
  request<void>('DELETE', `${contactPath(orgId, contactId)}/notes/${segment(noteId)}`);

/** Moves the other contact's identities, notes and tags into this one and deletes the other. */
export const mergeContacts = (orgId: string, contactId: string, otherContactId: string) =>
  request<WithSignatures<{ contact: Contact }>>('POST', `${contactPath(orgId, contactId)}/merge`, { otherContactId }).then(withContact(orgId));

/** The timeline is a column page (docs/crm.md). */

export function contactTimeline(orgId: string, contactId: string, before: string | null, limit = 50): Promise<ItemPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before) query.set('before', before);
  return request<ServerItemPage>('GET', `${contactPath(orgId, contactId)}/timeline?${query}`).then((r) => ({
    items: r.items.map((item) => proxyItemImages(orgId, item, r.imageSignatures)),
    nextCursor: r.nextCursor,
  }));
}

/** Contacts from a CSV file: `preview` writes nothing; `import` writes only a valid file, or the valid rows when `skipInvalidRows` confirms it. */
// The body schema lives with the server (src/crm/pipeline-schemas.ts ImportBody); this is its shape.
export const CONTACT_IMPORT_TARGETS = ['displayName', 'email', 'company', 'phone', 'stage', 'tags', 'ignore'] as const;
export type ContactImportTarget = (typeof CONTACT_IMPORT_TARGETS)[number];
export interface ContactImportRequest {
  csv: string;
  /** Header → target; a header left out is guessed by the server from its name (English or Japanese). */
  mapping?: Record<string, ContactImportTarget>;
  mode: 'preview' | 'import';
  skipInvalidRows?: boolean;
}
export type { ContactImportResult };
/** A preview sends no key (it writes nothing); an import sends one, so a repeat of it imports once. */
export const importContacts = (orgId: string, body: ContactImportRequest, idempotencyKey?: string) =>
  request<ContactImportResult>('POST', `${org(orgId)}/contacts/import`, body, idempotencyKey ? { idempotencyKey } : {});
