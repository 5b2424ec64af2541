import { z } from 'zod';
import { Network } from './channels.js';
import { ImageSignatures } from './streams.js';
import { NextCursor } from './pagination.js';

export const ContactIdentityView = z.object({
  id: z.string(),
  network: Network,
  handle: z.string(),
  displayName: z.string().nullable(),
  profileUrl: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type ContactIdentityView = z.infer<typeof ContactIdentityView>;

export const ContactView = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  company: z.string().nullable(),
  tags: z.array(z.string()),
  avatarUrl: z.string().nullable(),
  identities: z.array(ContactIdentityView),
  noteCount: z.number(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ContactView = z.infer<typeof ContactView>;

export const ContactNoteView = z.object({ id: z.string(), body: z.string(), authorUserId: z.string().nullable(), authorName: z.string(), createdAt: z.string() });
export type ContactNoteView = z.infer<typeof ContactNoteView>;

export const ContactTag = z.object({ tag: z.string(), count: z.number() });
export type ContactTag = z.infer<typeof ContactTag>;

/** Who is a contact: each identity's network and author key (core/networks), to mark items whose author is one. */
export const ContactAuthor = z.object({ network: Network, matchKey: z.string(), contactId: z.string() });
export type ContactAuthor = z.infer<typeof ContactAuthor>;

export const ContactPage = z.object({ contacts: z.array(ContactView), nextCursor: NextCursor });
export type ContactPage = z.infer<typeof ContactPage>;

/** Contacts' avatars load through the image proxy with these signatures, as stream items do. */
export const ContactPageAnswer = ContactPage.extend({ imageSignatures: ImageSignatures });
export type ContactPageAnswer = z.infer<typeof ContactPageAnswer>;
export const ContactAnswer = z.object({ contact: ContactView, imageSignatures: ImageSignatures });
export type ContactAnswer = z.infer<typeof ContactAnswer>;
/** `created` is false when the item's author already was a contact. */
export const ContactFromItemAnswer = ContactAnswer.extend({ created: z.boolean() });
export type ContactFromItemAnswer = z.infer<typeof ContactFromItemAnswer>;
export const ContactWithNotesAnswer = ContactAnswer.extend({ notes: z.array(ContactNoteView) });
export type ContactWithNotesAnswer = z.infer<typeof ContactWithNotesAnswer>;
export const ContactAuthorsAnswer = z.object({ authors: z.array(ContactAuthor) });
export type ContactAuthorsAnswer = z.infer<typeof ContactAuthorsAnswer>;
export const ContactTagsAnswer = z.object({ tags: z.array(ContactTag) });
export type ContactTagsAnswer = z.infer<typeof ContactTagsAnswer>;
export const ContactNoteAnswer = z.object({ note: ContactNoteView });
export type ContactNoteAnswer = z.infer<typeof ContactNoteAnswer>;
