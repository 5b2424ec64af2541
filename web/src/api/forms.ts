import type { FormFieldType, FormSubmissionView, FormView } from '@core/api/forms.js';
import { request, segment } from './client.js';

/** Lead capture forms (docs/crm.md): the server's own answers (core/api/forms.ts). */
export { FORM_FIELD_TYPES } from '@core/api/forms.js';
export type { FormFieldType };
export type Form = FormView;
export type FormSubmission = FormSubmissionView;

export interface FieldDraft {
  name: string;
  label?: string;
  type: FormFieldType;
  required: boolean;
}
export interface NewForm {
  name: string;
  fields: FieldDraft[];
  consentText?: string | null;
}

const forms = (orgId: string) => `/api/orgs/${segment(orgId)}/forms`;

export const listForms = (orgId: string) => request<{ forms: Form[] }>('GET', forms(orgId)).then((r) => r.forms);
export const getForm = (orgId: string, formId: string) => request<{ form: Form; submissions: FormSubmission[] }>('GET', `${forms(orgId)}/${segment(formId)}`);
export const createForm = (orgId: string, input: NewForm, idempotencyKey: string) =>
  request<{ form: Form }>('POST', forms(orgId), input, { idempotencyKey }).then((r) => r.form);
export const deleteForm = (orgId: string, formId: string) => request<void>('DELETE', `${forms(orgId)}/${segment(formId)}`);
