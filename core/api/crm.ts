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
  /** The pipeline fields the list shows and filters by (the contact page reads the rest from /pipeline). */
  stage: z.string(),
  score: z.number(),
  ownerUserId: z.string().nullable(),
  ownerName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ContactView = z.infer<typeof ContactView>;

export const ContactNoteView = z.object({
  id: z.string(),
  body: z.string(),
  authorUserId: z.string().nullable(),
  authorName: z.string(),
  createdAt: z.string(),
});
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

/**
 * Response shapes of the CRM pipeline (contacts' stage, score, owner and fields; companies;
 * tasks; settings; CSV import). The server declares them as route responses; the web imports
 * the types through `@core/api/crm.js`.
 */

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const CustomFieldDefinition = z.object({ key: z.string(), label: z.string(), type: z.enum(CUSTOM_FIELD_TYPES) });
export type CustomFieldDefinition = z.infer<typeof CustomFieldDefinition>;

/** Interaction kinds that scoring rules can count; `link_click` is fed by the short links module. */
export const INTERACTION_KINDS = ['reply', 'mention', 'form_submission', 'link_click', 'note', 'task_done'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const ScoringRule = z.object({ kind: z.enum(INTERACTION_KINDS), points: z.number().int() });
export type ScoringRule = z.infer<typeof ScoringRule>;

/** The stages an org starts with; their names are also keys the web translates until an admin renames them. */
export const DEFAULT_STAGES = ['subscriber', 'lead', 'opportunity', 'customer'] as const;

export const CrmSettingsView = z.object({
  /** Lifecycle stages in pipeline order; a new contact starts in the first. */
  stages: z.array(z.string()),
  scoringRules: z.array(ScoringRule),
  customFields: z.array(CustomFieldDefinition),
});
export type CrmSettingsView = z.infer<typeof CrmSettingsView>;

export const CustomFieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What the pipeline adds to a contact. */
export const ContactPipelineView = z.object({
  contactId: z.string(),
  phones: z.array(z.string()),
  customFields: z.record(z.string(), CustomFieldValue),
  ownerUserId: z.string().nullable(),
  ownerName: z.string().nullable(),
  stage: z.string(),
  score: z.number().int(),
  companyId: z.string().nullable(),
  companyName: z.string().nullable(),
});
export type ContactPipelineView = z.infer<typeof ContactPipelineView>;

/** "Why 35?": each rule that counted, how often, and what it added. */
export const ScoreExplanation = z.object({
  score: z.number().int(),
  lines: z.array(z.object({ kind: z.enum(INTERACTION_KINDS), points: z.number().int(), count: z.number().int(), subtotal: z.number().int() })),
});
export type ScoreExplanation = z.infer<typeof ScoreExplanation>;

export const CompanyView = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string().nullable(),
  contactCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CompanyView = z.infer<typeof CompanyView>;

export const CompanyPersonView = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  stage: z.string(),
  score: z.number().int(),
});
export type CompanyPersonView = z.infer<typeof CompanyPersonView>;

export const TaskView = z.object({
  id: z.string(),
  title: z.string(),
  dueAt: z.string().nullable(),
  assigneeUserId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  conversationId: z.string().nullable(),
  postId: z.string().nullable(),
  itemId: z.string().nullable(),
  /** The stream item's own address on its network (http or https), where it has one. */
  itemUrl: z.string().nullable(),
  teamPostId: z.string().nullable(),
  done: z.boolean(),
  doneAt: z.string().nullable(),
  /** Open and past its due time, at the time of the answer. */
  overdue: z.boolean(),
  createdAt: z.string(),
});
export type TaskView = z.infer<typeof TaskView>;

/** One entry of a contact's CRM activity (the stored items come from the timeline route). */
export const ContactActivityEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('note'), at: z.string(), id: z.string(), body: z.string(), authorName: z.string() }),
  z.object({ kind: z.literal('task'), at: z.string(), id: z.string(), title: z.string(), dueAt: z.string().nullable(), done: z.boolean() }),
  z.object({ kind: z.literal('stage_change'), at: z.string(), id: z.string(), fromStage: z.string().nullable(), toStage: z.string() }),
  z.object({
    kind: z.literal('form_submission'),
    at: z.string(),
    id: z.string(),
    formId: z.string(),
    formName: z.string(),
    fields: z.record(z.string(), z.string()),
  }),
  z.object({ kind: z.literal('interaction'), at: z.string(), id: z.string(), interaction: z.enum(INTERACTION_KINDS), refId: z.string().nullable() }),
]);
export type ContactActivityEntry = z.infer<typeof ContactActivityEntry>;

/** A row of a contacts CSV that cannot be imported, by its line in the file (1 = the header). */
export const ImportRowError = z.object({ line: z.number().int(), column: z.string().nullable(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ContactImportResult = z.object({
  /** True when the rows were written; false for a preview (or a file with errors not confirmed). */
  imported: z.boolean(),
  headers: z.array(z.string()),
  /** The first rows as they would be imported. */
  preview: z.array(
    z.object({
      line: z.number().int(),
      displayName: z.string(),
      email: z.string().nullable(),
      company: z.string().nullable(),
      phones: z.array(z.string()),
      stage: z.string(),
      tags: z.array(z.string()),
    }),
  ),
  validRows: z.number().int(),
  errors: z.array(ImportRowError),
  created: z.number().int(),
  updated: z.number().int(),
});
export type ContactImportResult = z.infer<typeof ContactImportResult>;
