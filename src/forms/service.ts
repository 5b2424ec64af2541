import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { FormField, FormSubmissionView, FormView } from '../../core/api/forms.js';
import { companyOfEmail } from '../crm/companies.js';
import { contactNames } from '../crm/contact-names.js';
import { findOrCreateContactByEmail } from '../crm/email-match.js';
import { addPhones } from '../crm/pipeline.js';
import { recordContactInteraction } from '../crm/scoring.js';
import { DomainError } from '../lib/domain-error.js';
import { newId, newSecret } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { MessageKey, VisitorLocale } from './messages.js';
import type { EditFormBody, NewFormBody } from './schemas.js';
import type { FormsTable } from './tables.js';

const notFound = () => new DomainError('form_not_found', 'Form not found', 404);

/** Where public URLs point: the configured public URL, else the host the request came to. */
export type PublicBase = string;

export const formPublicUrl = (base: PublicBase, token: string): string => `${base.replace(/\/+$/, '')}/f/${token}`;

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function present(base: PublicBase, row: Selectable<FormsTable>, submissionCount: number): FormView {
  const publicUrl = formPublicUrl(base, row.public_token);
  return {
    id: row.id,
    name: row.name,
    fields: JSON.parse(row.fields) as FormField[],
    consentText: row.consent_text,
    campaignId: row.campaign_id,
    publicUrl,
    embedSnippet: `<iframe src="${escapeAttribute(publicUrl)}" title="${escapeAttribute(row.name)}" style="width:100%;max-width:640px;height:640px;border:0" loading="lazy"></iframe>`,
    submissionCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function counts(scope: OrgScope, formIds: string[]): Promise<Map<string, number>> {
  if (formIds.length === 0) return new Map();
  const rows = await scope
    .selectFrom('form_submissions')
    .select((eb) => ['form_id', eb.fn.countAll<number>().as('n')])
    .where('form_id', 'in', formIds)
    .groupBy('form_id')
    .execute();
  return new Map(rows.map((r) => [r.form_id, Number(r.n)]));
}

const storedFields = (fields: NewFormBody['fields']): FormField[] =>
  fields.map((f) => ({ name: f.name, label: f.label ?? f.name, type: f.type, required: f.required }));

export async function listForms(scope: OrgScope, base: PublicBase, filter: { campaignId?: string | undefined } = {}): Promise<FormView[]> {
  let query = scope.selectFrom('forms').selectAll();
  if (filter.campaignId) query = query.where('campaign_id', '=', filter.campaignId);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
  const n = await counts(
    scope,
    rows.map((r) => r.id),
  );
  return rows.map((r) => present(base, r, n.get(r.id) ?? 0));
}

export async function formView(scope: OrgScope, base: PublicBase, formId: string): Promise<FormView> {
  const row = await scope.selectFrom('forms').selectAll().where('id', '=', formId).executeTakeFirst();
  if (!row) throw notFound();
  return present(base, row, (await counts(scope, [formId])).get(formId) ?? 0);
}

/** Campaigns are checked by the caller (src/campaigns knows them); forms only store the id. */
export async function createForm(scope: OrgScope, base: PublicBase, input: NewFormBody): Promise<FormView> {
  return scope.transaction(async (tx) => {
    const id = newId();
    const now = tx.now();
    await tx.insertInto('forms', {
      id,
      name: input.name,
      fields: JSON.stringify(storedFields(input.fields)),
      consent_text: input.consentText ?? null,
      public_token: newSecret().slice(0, 32),
      campaign_id: input.campaignId ?? null,
      created_at: now,
      updated_at: now,
    });
    await tx.audit('form.created', { formId: id, name: input.name });
    return formView(tx, base, id);
  });
}

export async function editForm(scope: OrgScope, base: PublicBase, formId: string, input: EditFormBody): Promise<FormView> {
  return scope.transaction(async (tx) => {
    await formView(tx, base, formId);
    await tx
      .updateTable('forms')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.fields !== undefined ? { fields: JSON.stringify(storedFields(input.fields)) } : {}),
        ...(input.consentText !== undefined ? { consent_text: input.consentText } : {}),
        ...(input.campaignId !== undefined ? { campaign_id: input.campaignId } : {}),
        updated_at: tx.now(),
      })
      .where('id', '=', formId)
      .execute();
    await tx.audit('form.updated', { formId });
    return formView(tx, base, formId);
  });
}

/** The form and its submissions go; the contacts they made stay. */
export async function deleteForm(scope: OrgScope, formId: string): Promise<void> {
  await scope.transaction(async (tx) => {
    if (!(await tx.selectFrom('forms').select('id').where('id', '=', formId).executeTakeFirst())) throw notFound();
    await tx.deleteFrom('forms').where('id', '=', formId).execute();
    await tx.audit('form.deleted', { formId });
  });
}

export async function listSubmissions(scope: OrgScope, formId: string, limit: number): Promise<FormSubmissionView[]> {
  const rows = await scope
    .selectFrom('form_submissions')
    .selectAll()
    .where('form_id', '=', formId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const contactIds = [...new Set(rows.map((r) => r.contact_id).filter((id): id is string => id !== null))];
  const name = await contactNames(scope, contactIds);
  return rows.map((r) => ({
    id: r.id,
    contactId: r.contact_id ?? '',
    contactName: r.contact_id ? (name.get(r.contact_id) ?? null) : null,
    fields: JSON.parse(r.data) as Record<string, string>,
    createdAt: r.created_at,
  }));
}

/** The form behind a public link, with its org: the only lookup not scoped to an org (the token is the capability). */
export interface PublicForm {
  orgId: string;
  id: string;
  name: string;
  fields: FormField[];
  consentText: string | null;
}

const Email = z.email();
const PHONE = /^[0-9+()\-.\s#*x]{3,40}$/i;
const MAX_ANSWER = 2000;
const MAX_LONG_ANSWER = 5000;
const CHECKED = new Set(['on', 'true', 'yes', '1']);

export interface FieldProblem {
  field: string;
  key: MessageKey;
}

/** Checks answers against the form: required, email, phone, length; consent when the form asks for it. */
export function checkAnswers(form: PublicForm, body: Record<string, unknown>): { answers: Record<string, string>; problems: FieldProblem[] } {
  const answers: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  for (const field of form.fields) {
    const raw = body[field.name];
    const text = raw === undefined || raw === null ? '' : typeof raw === 'boolean' ? (raw ? 'true' : '') : String(raw).trim();
    if (field.type === 'checkbox') {
      const checked = CHECKED.has(text.toLowerCase());
      if (field.required && !checked) problems.push({ field: field.name, key: 'required' });
      answers[field.name] = checked ? 'yes' : 'no';
      continue;
    }
    if (!text) {
      if (field.required) problems.push({ field: field.name, key: 'required' });
      continue;
    }
    if (text.length > (field.type === 'textarea' ? MAX_LONG_ANSWER : MAX_ANSWER)) problems.push({ field: field.name, key: 'tooLong' });
    else if (field.type === 'email' && (text.length > 320 || !Email.safeParse(text).success)) problems.push({ field: field.name, key: 'email' });
    else if (field.type === 'phone' && !PHONE.test(text)) problems.push({ field: field.name, key: 'phone' });
    else answers[field.name] = text;
  }
  if (form.consentText && !CHECKED.has(String(body.consent ?? '').toLowerCase()) && body.consent !== true) problems.push({ field: 'consent', key: 'consent' });
  return { answers, problems };
}

/** The name a submission gives its contact: a field called name (or first/last name), else the email. */
function submittedName(form: PublicForm, answers: Record<string, string>, email: string): string {
  const byName = (pattern: RegExp) =>
    form.fields
      .filter((f) => f.type === 'text' && pattern.test(f.name))
      .map((f) => answers[f.name])
      .filter(Boolean);
  const full = byName(/^(full_?)?name$/i)[0];
  if (full) return full;
  const parts = [...byName(/^first_?name$/i), ...byName(/^last_?name$/i)];
  return parts.length ? parts.join(' ') : email;
}

/**
 * A checked submission: the contact with its email (made now if none has it), the submission
 * row, the phone numbers it gave, and a `form_submission` interaction that scores and shows on
 * the contact's timeline. One transaction after the contact is found or made.
 */
export async function recordSubmission(
  scope: OrgScope,
  form: PublicForm,
  answers: Record<string, string>,
  locale: VisitorLocale,
): Promise<{ submissionId: string; contactId: string; created: boolean }> {
  const emailField = form.fields.find((f) => f.type === 'email' && answers[f.name])!;
  const email = answers[emailField.name]!;
  const { contactId, created } = await findOrCreateContactByEmail(scope, {
    email,
    displayName: submittedName(form, answers, email),
    companyId: await companyOfEmail(scope, email),
  });
  const submissionId = newId();
  await scope.transaction(async (tx) => {
    await tx.insertInto('form_submissions', {
      id: submissionId,
      form_id: form.id,
      contact_id: contactId,
      data: JSON.stringify(answers),
      locale,
      created_contact: created ? 1 : 0,
      created_at: tx.now(),
    });
    const phones = form.fields.filter((f) => f.type === 'phone' && answers[f.name]).map((f) => answers[f.name]!);
    if (phones.length) await addPhones(tx, contactId, phones);
    await recordContactInteraction(tx, contactId, 'form_submission', submissionId, { formId: form.id, formName: form.name, fields: answers });
  });
  return { submissionId, contactId, created };
}

/** The forms of a campaign, their submission totals, and the contacts their submissions made. */
export async function campaignFormResults(
  scope: OrgScope,
  campaignId: string,
): Promise<{ forms: { id: string; name: string; submissionCount: number }[]; submissions: number; newContactIds: string[] }> {
  const forms = await scope.selectFrom('forms').select(['id', 'name']).where('campaign_id', '=', campaignId).orderBy('created_at').execute();
  const n = await counts(
    scope,
    forms.map((f) => f.id),
  );
  const made = forms.length
    ? await scope
        .selectFrom('form_submissions')
        .select('contact_id')
        .where(
          'form_id',
          'in',
          forms.map((f) => f.id),
        )
        .where('created_contact', '=', 1)
        .where('contact_id', 'is not', null)
        .execute()
    : [];
  return {
    forms: forms.map((f) => ({ ...f, submissionCount: n.get(f.id) ?? 0 })),
    submissions: [...n.values()].reduce((a, b) => a + b, 0),
    newContactIds: made.map((m) => m.contact_id!),
  };
}

/** How many forms each of these campaigns has; a campaign without forms is absent. */
export async function formCountsByCampaign(scope: OrgScope, campaignIds: string[]): Promise<Map<string, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await scope
    .selectFrom('forms')
    .select((eb) => ['campaign_id', eb.fn.countAll<number>().as('n')])
    .where('campaign_id', 'in', campaignIds)
    .groupBy('campaign_id')
    .execute();
  // The filter above leaves no null campaign.
  return new Map(rows.map((r) => [r.campaign_id!, Number(r.n)]));
}
