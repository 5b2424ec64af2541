import { z } from 'zod';

/** Response shapes of lead capture web forms (src/forms). */

export const FORM_FIELD_TYPES = ['text', 'email', 'phone', 'textarea', 'checkbox'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export const FormField = z.object({ name: z.string(), label: z.string(), type: z.enum(FORM_FIELD_TYPES), required: z.boolean() });
export type FormField = z.infer<typeof FormField>;

export const FormView = z.object({
  id: z.string(),
  name: z.string(),
  fields: z.array(FormField),
  /** Shown above the submit button with a checkbox the visitor must tick; null for none. */
  consentText: z.string().nullable(),
  campaignId: z.string().nullable(),
  /** Where visitors fill it in, without signing in; also where it is POSTed to. */
  publicUrl: z.string(),
  /** An <iframe> to paste into a web site. */
  embedSnippet: z.string(),
  submissionCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FormView = z.infer<typeof FormView>;

export const FormSubmissionView = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string().nullable(),
  fields: z.record(z.string(), z.string()),
  createdAt: z.string(),
});
export type FormSubmissionView = z.infer<typeof FormSubmissionView>;

/** What the public endpoint answers a JSON submission with. */
export const PublicSubmissionAnswer = z.object({ ok: z.literal(true), message: z.string() });
