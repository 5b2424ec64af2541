import { z } from 'zod';
import { NETWORKS } from '../networks/network-rules.js';

const Id = z.string().min(1).max(100);
export const TAGS_PER_CONTACT = 20;

const DisplayName = z.string().trim().min(1).max(200);
const Email = z.string().trim().max(320).pipe(z.email('must be an email address'));
const Company = z.string().trim().min(1).max(200);
/** Lowercased and deduplicated by the service: `VIP` and `vip ` are one tag. */
const Tag = z.string().trim().min(1).max(40);
const Tags = z.array(Tag).max(TAGS_PER_CONTACT, `at most ${TAGS_PER_CONTACT} tags`);

export const IdentityInput = z.strictObject({
  network: z.enum(NETWORKS),
  /** A handle or a profile URL, as pasted: identity-input.ts reads it. */
  handle: z.string().max(2048),
});
export type IdentityInput = z.infer<typeof IdentityInput>;

export const ContactParams = z.strictObject({ orgId: z.string(), contactId: Id });
export const IdentityParams = z.strictObject({ orgId: z.string(), contactId: Id, identityId: Id });
export const NoteParams = z.strictObject({ orgId: z.string(), contactId: Id, noteId: Id });

/**
 * What narrows the contact list and its CSV export. `stage` is one of the org's stages (the service
 * refuses any other with 400 `unknown_stage`); `owner` is a user id, `me` or `none` (nobody owns it).
 */
export const ContactFilters = z.strictObject({
  q: z.string().trim().max(200).optional(),
  tag: Tag.optional(),
  stage: z.string().trim().min(1).max(100).optional(),
  owner: Id.optional(),
  minScore: z.coerce.number().int().min(-1_000_000).max(1_000_000).optional(),
});
export type ContactFilters = z.infer<typeof ContactFilters>;
export const ContactsQuery = ContactFilters.extend({
  before: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const ContactsExportQuery = ContactFilters;
export const TimelineQuery = z.strictObject({
  before: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const NewContactBody = z.strictObject({
  displayName: DisplayName,
  email: Email.nullable().optional(),
  company: Company.nullable().optional(),
  tags: Tags.optional(),
  identities: z.array(IdentityInput).max(20).optional(),
});
export type NewContactBody = z.infer<typeof NewContactBody>;

export const EditContactBody = z
  .strictObject({ displayName: DisplayName.optional(), email: Email.nullable().optional(), company: Company.nullable().optional(), tags: Tags.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send displayName, email, company or tags');
export type EditContactBody = z.infer<typeof EditContactBody>;

export const FromItemBody = z.strictObject({ itemId: Id });
export const NewNoteBody = z.strictObject({ body: z.string().trim().min(1).max(10_000) });
export const MergeBody = z.strictObject({ otherContactId: Id });
