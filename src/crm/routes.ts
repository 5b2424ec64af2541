import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { scopeOf } from '../http/org-scoped.js';
import { signImageUrls } from '../image-proxy/item-images.js';
import { ImageUrlSigner } from '../image-proxy/signature.js';
import type { OrgScope } from '../teams/org-scope.js';
import { contactsCsv } from './contacts-csv.js';
import { contactAuthors } from './identities.js';
import { addNote, contactNotes, deleteNote } from './notes.js';
import {
  ContactParams,
  ContactsExportQuery,
  ContactsQuery,
  EditContactBody,
  FromItemBody,
  IdentityInput,
  IdentityParams,
  MergeBody,
  NewContactBody,
  NewNoteBody,
  NoteParams,
  TimelineQuery,
} from '../../core/api/crm-requests.js';
import {
  addIdentity,
  contactFromItem,
  contactTimeline,
  contactView,
  createContact,
  deleteContact,
  editContact,
  listContacts,
  listTags,
  mergeContacts,
  removeIdentity,
} from './service.js';
import { contactImageUrls, type ContactView } from './views.js';
import {
  ContactAnswer,
  ContactAuthorsAnswer,
  ContactFromItemAnswer,
  ContactNoteAnswer,
  ContactPageAnswer,
  ContactTagsAnswer,
  ContactWithNotesAnswer,
} from '../../core/api/crm.js';
import { errorAnswers, NoBody, TextBody } from '../../core/api/errors.js';
import { ItemPage } from '../../core/api/streams.js';

const tags = ['contacts'];
const read = { permission: 'contacts.read' } as const;
const write = { permission: 'contacts.write' } as const;
const create = { ...write, idempotent: true } as const;

/** Contacts (social CRM): people known by their identities on the networks, with notes and tags; under /api/orgs/:orgId. */
export async function crmRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // The streams image proxy checks these signatures: same key, same signer.
  const signer = new ImageUrlSigner(fastify.settings.secretKey);
  const signatures = (scope: OrgScope, contacts: ContactView[]) => signImageUrls(signer, scope.orgId, contactImageUrls(contacts));
  const withSignatures = (scope: OrgScope, contact: ContactView) => ({ contact, imageSignatures: signatures(scope, [contact]) });

  app.get(
    '/contacts',
    {
      config: read,
      schema: {
        tags,
        summary: 'Contacts by name; q searches name, email, company and handles',
        querystring: ContactsQuery,
        response: { 200: ContactPageAnswer, ...errorAnswers },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const page = await listContacts(scope, request.query);
      return { ...page, imageSignatures: signatures(scope, page.contacts) };
    },
  );

  app.get(
    '/contacts/authors',
    {
      config: read,
      schema: {
        tags,
        summary: "Every contact identity's network and author key (channels/author-key.ts), to mark items whose author is a contact",
        response: { 200: ContactAuthorsAnswer, ...errorAnswers },
      },
    },
    async (request) => ({ authors: await contactAuthors(scopeOf(request)) }),
  );
  app.get(
    '/contacts/export.csv',
    {
      config: read,
      schema: {
        tags,
        summary: 'Contacts as CSV (UTF-8 with BOM), with the same q and tag filters as the list',
        querystring: ContactsExportQuery,
        response: { 200: TextBody, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const day = scope.now().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="contacts-${day}.csv"`)
        .send(await contactsCsv(scope, request.query));
    },
  );
  app.get(
    '/contacts/tags',
    { config: read, schema: { tags, summary: 'Every tag in use, with how many contacts have it', response: { 200: ContactTagsAnswer, ...errorAnswers } } },
    async (request) => ({ tags: await listTags(scopeOf(request)) }),
  );

  app.post(
    '/contacts',
    {
      config: create,
      schema: {
        tags,
        summary: 'Create a contact, optionally with identities and tags',
        body: NewContactBody,
        response: { 201: ContactAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      return reply.status(201).send(withSignatures(scope, await createContact(scope, request.body)));
    },
  );

  app.post(
    '/contacts/from-item',
    {
      config: write,
      schema: {
        tags,
        summary: "The contact of a stored item's author: 201 when made now, 200 when it already was one",
        body: FromItemBody,
        response: { 200: ContactFromItemAnswer, 201: ContactFromItemAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { contact, created } = await contactFromItem(scope, request.body.itemId);
      return reply.status(created ? 201 : 200).send({ ...withSignatures(scope, contact), created });
    },
  );

  app.get(
    '/contacts/:contactId',
    {
      config: read,
      schema: { tags, summary: 'A contact with its notes, newest first', params: ContactParams, response: { 200: ContactWithNotesAnswer, ...errorAnswers } },
    },
    async (request) => {
      const scope = scopeOf(request);
      const contact = await contactView(scope, request.params.contactId);
      return { contact, notes: await contactNotes(scope, contact.id), imageSignatures: signatures(scope, [contact]) };
    },
  );

  app.patch(
    '/contacts/:contactId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change name, email, company or tags (null clears email and company)',
        params: ContactParams,
        body: EditContactBody,
        response: { 200: ContactAnswer, ...errorAnswers },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      return withSignatures(scope, await editContact(scope, request.params.contactId, request.body));
    },
  );

  app.delete(
    '/contacts/:contactId',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a contact with its notes and identities (stored items stay)',
        params: ContactParams,
        response: { 204: NoBody, ...errorAnswers },
      },
    },
    async (request, reply) => {
      await deleteContact(scopeOf(request), request.params.contactId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/contacts/:contactId/identities',
    {
      config: create,
      schema: {
        tags,
        summary: 'Add an identity: a handle or a profile URL',
        params: ContactParams,
        body: IdentityInput,
        response: { 201: ContactAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      return reply.status(201).send(withSignatures(scope, await addIdentity(scope, request.params.contactId, request.body)));
    },
  );

  app.delete(
    '/contacts/:contactId/identities/:identityId',
    { config: write, schema: { tags, summary: 'Remove an identity from a contact', params: IdentityParams, response: { 204: NoBody, ...errorAnswers } } },
    async (request, reply) => {
      await removeIdentity(scopeOf(request), request.params.contactId, request.params.identityId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/contacts/:contactId/notes',
    {
      config: create,
      schema: { tags, summary: 'Add a note', params: ContactParams, body: NewNoteBody, response: { 201: ContactNoteAnswer, ...errorAnswers } },
    },
    async (request, reply) => reply.status(201).send({ note: await addNote(scopeOf(request), request.params.contactId, request.body.body) }),
  );

  app.delete(
    '/contacts/:contactId/notes/:noteId',
    {
      config: write,
      schema: { tags, summary: "Delete a note (your own, or anyone's as an admin)", params: NoteParams, response: { 204: NoBody, ...errorAnswers } },
    },
    async (request, reply) => {
      await deleteNote(scopeOf(request), request.params.contactId, request.params.noteId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/contacts/:contactId/merge',
    {
      config: write,
      schema: {
        tags,
        summary: 'Merge another contact into this one (its identities, notes and tags move here; it is deleted)',
        params: ContactParams,
        body: MergeBody,
        response: { 200: ContactAnswer, ...errorAnswers },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      return withSignatures(scope, await mergeContacts(scope, request.params.contactId, request.body.otherContactId));
    },
  );

  app.get(
    '/contacts/:contactId/timeline',
    {
      config: read,
      schema: {
        tags,
        summary: "Stored items by any of the contact's identities, newest first; pass nextCursor as before",
        params: ContactParams,
        querystring: TimelineQuery,
        response: { 200: ItemPage, ...errorAnswers },
      },
    },
    // Built as JSON like a column page; the bytes bypass the serializer, so ItemPage documents them.
    async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(Buffer.from(await contactTimeline(scopeOf(request), signer, request.params.contactId, request.query), 'utf8') as unknown as ItemPage),
  );
}
