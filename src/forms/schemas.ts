import { z } from 'zod';
import { FORM_FIELD_TYPES } from '../../core/api/forms.js';

const Id = z.string().min(1).max(100);
const FieldName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'letters, digits and _, starting with a letter');
/** Field names the public page uses itself. */
export const RESERVED_FIELD_NAMES = ['website', 'consent'];

export const FormFieldInput = z.strictObject({
  name: FieldName.refine((n) => !RESERVED_FIELD_NAMES.includes(n.toLowerCase()), 'this name is reserved'),
  /** Shown to visitors; the name when absent. */
  label: z.string().trim().min(1).max(200).optional(),
  type: z.enum(FORM_FIELD_TYPES),
  required: z.boolean().default(false),
});

const Fields = z
  .array(FormFieldInput)
  .min(1)
  .max(30)
  .refine((f) => new Set(f.map((x) => x.name.toLowerCase())).size === f.length, 'field names must be unique')
  .refine((f) => f.some((x) => x.type === 'email' && x.required), 'a form needs a required email field: submissions are matched to contacts by email');

export const NewFormBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  fields: Fields,
  consentText: z.string().trim().min(1).max(2000).nullable().optional(),
  campaignId: Id.nullable().optional(),
});
export type NewFormBody = z.output<typeof NewFormBody>;

export const EditFormBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    fields: Fields.optional(),
    consentText: z.string().trim().min(1).max(2000).nullable().optional(),
    campaignId: Id.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send name, fields, consentText or campaignId');
export type EditFormBody = z.output<typeof EditFormBody>;

export const FormParams = z.strictObject({ orgId: z.string(), formId: Id });
export const PublicFormParams = z.strictObject({ token: z.string().min(1).max(100) });
/** A public submission: answers by field name, as text (checkboxes: "on"/"true"), at most 64 KB in all. */
export const PublicSubmissionBody = z
  .record(z.string().max(100), z.union([z.string().max(5000), z.boolean(), z.number()]))
  .refine((b) => Object.keys(b).length <= 60, 'too many fields');
