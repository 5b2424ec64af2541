import { userSummaries } from '../accounts/users.js';
import type { ContactPipelineView, CrmSettingsView, CustomFieldDefinition } from '../../core/api/crm.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';
import { membershipRole } from '../teams/service.js';
import { crmSettings } from './settings.js';
import type { ContactRow } from './views.js';

type CustomValue = string | number | boolean | null;

export interface PipelineChange {
  phones?: string[] | undefined;
  customFields?: Record<string, CustomValue> | undefined;
  ownerUserId?: string | null | undefined;
  stage?: string | undefined;
  companyId?: string | null | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A value of the org's custom field, checked against its type; unknown keys are refused. */
export function checkCustomFields(definitions: CustomFieldDefinition[], values: Record<string, CustomValue>): Record<string, CustomValue> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const problems: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const definition = byKey.get(key);
    if (!definition) problems.push({ field: key, message: 'no such custom field' });
    else if (value === null) continue;
    else if (definition.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) problems.push({ field: key, message: 'must be a number' });
    else if (definition.type === 'boolean' && typeof value !== 'boolean') problems.push({ field: key, message: 'must be true or false' });
    else if (definition.type === 'date' && (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))))
      problems.push({ field: key, message: 'must be a date (YYYY-MM-DD)' });
    else if (definition.type === 'text' && (typeof value !== 'string' || value.length > 2000))
      problems.push({ field: key, message: 'must be text of at most 2000 characters' });
  }
  if (problems.length) throw new DomainError('invalid_custom_fields', problems.map((p) => `${p.field}: ${p.message}`).join('; '), 422, problems);
  return values;
}

export function checkStage(settings: CrmSettingsView, stage: string): string {
  if (!settings.stages.includes(stage))
    throw new DomainError('unknown_stage', `"${stage}" is not one of this organization's stages (${settings.stages.join(', ')})`, 422, {
      stages: settings.stages,
    });
  return stage;
}

/** The pipeline fields of contacts, with owner and company names: two queries per page. */
export async function pipelineViews(scope: OrgScope, rows: ContactRow[]): Promise<Map<string, ContactPipelineView>> {
  const ownerIds = [...new Set(rows.map((r) => r.owner_user_id).filter((id): id is string => id !== null))];
  const companyIds = [...new Set(rows.map((r) => r.company_id).filter((id): id is string => id !== null))];
  const owners = await userSummaries(scope.shared, ownerIds);
  const companies = companyIds.length ? await scope.selectFrom('companies').select(['id', 'name']).where('id', 'in', companyIds).execute() : [];
  const companyName = new Map(companies.map((c) => [c.id, c.name]));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        contactId: row.id,
        phones: JSON.parse(row.phones) as string[],
        customFields: JSON.parse(row.custom_fields) as Record<string, CustomValue>,
        ownerUserId: row.owner_user_id,
        ownerName: row.owner_user_id ? (owners.get(row.owner_user_id)?.name ?? null) : null,
        stage: row.stage,
        score: row.score,
        companyId: row.company_id,
        companyName: row.company_id ? (companyName.get(row.company_id) ?? null) : null,
      },
    ]),
  );
}

export async function contactPipeline(scope: OrgScope, contactId: string): Promise<ContactPipelineView> {
  const row = await scope.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
  if (!row) throw new DomainError('contact_not_found', 'Contact not found', 404);
  return (await pipelineViews(scope, [row])).get(contactId)!;
}

/** Writes a stage change and its history line (who, when, from where). */
export async function moveToStage(scope: OrgScope, contactId: string, from: string | null, to: string): Promise<void> {
  if (from === to) return;
  await scope.updateTable('contacts').set({ stage: to, updated_at: scope.now() }).where('id', '=', contactId).execute();
  // The public form has no signed-in actor: its stage changes are the system's.
  const changedBy = scope.actor.userId === 'system' ? null : scope.actor.userId;
  await scope.insertInto('contact_stage_changes', {
    id: newId(),
    contact_id: contactId,
    from_stage: from,
    to_stage: to,
    changed_by_user_id: changedBy,
    at: scope.now(),
  });
}

/** Phones, custom fields, owner, stage and company of a contact, each checked against the org's settings. */
export async function changePipeline(scope: OrgScope, contactId: string, change: PipelineChange): Promise<ContactPipelineView> {
  return scope.transaction(async (tx) => {
    const row = await tx.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
    if (!row) throw new DomainError('contact_not_found', 'Contact not found', 404);
    const settings = await crmSettings(tx);
    if (change.ownerUserId && !(await membershipRole(tx.shared, tx.orgId, change.ownerUserId))) {
      throw new DomainError('owner_not_member', 'The owner must be a member of this organization', 422);
    }
    if (change.companyId && !(await tx.selectFrom('companies').select('id').where('id', '=', change.companyId).executeTakeFirst())) {
      throw new DomainError('company_not_found', 'Company not found', 404);
    }
    const customFields =
      change.customFields === undefined
        ? undefined
        : { ...(JSON.parse(row.custom_fields) as Record<string, CustomValue>), ...checkCustomFields(settings.customFields, change.customFields) };
    await tx
      .updateTable('contacts')
      .set({
        ...(change.phones !== undefined ? { phones: JSON.stringify(change.phones) } : {}),
        ...(customFields !== undefined ? { custom_fields: JSON.stringify(customFields) } : {}),
        ...(change.ownerUserId !== undefined ? { owner_user_id: change.ownerUserId } : {}),
        ...(change.companyId !== undefined ? { company_id: change.companyId } : {}),
        updated_at: tx.now(),
      })
      .where('id', '=', contactId)
      .execute();
    if (change.stage !== undefined) await moveToStage(tx, contactId, row.stage, checkStage(settings, change.stage));
    await tx.audit('contact.pipeline_changed', { contactId, fields: Object.keys(change).filter((k) => change[k as keyof PipelineChange] !== undefined) });
    return contactPipeline(tx, contactId);
  });
}

/** Adds phone numbers a contact gave (a form, an import), keeping the ones it has. */
export async function addPhones(scope: OrgScope, contactId: string, phones: string[]): Promise<void> {
  const row = await scope.selectFrom('contacts').select('phones').where('id', '=', contactId).executeTakeFirstOrThrow();
  const merged = [...new Set([...(JSON.parse(row.phones) as string[]), ...phones])].slice(0, 10);
  await scope
    .updateTable('contacts')
    .set({ phones: JSON.stringify(merged), updated_at: scope.now() })
    .where('id', '=', contactId)
    .execute();
}

/** How many of these contacts are in each stage, in the org's stage order (for campaign reports). */
export async function stageCounts(scope: OrgScope, contactIds: string[]): Promise<{ stage: string; count: number }[]> {
  const { stages } = await crmSettings(scope);
  const counts = new Map<string, number>();
  for (let i = 0; i < contactIds.length; i += 500) {
    const rows = await scope
      .selectFrom('contacts')
      .select('stage')
      .where('id', 'in', contactIds.slice(i, i + 500))
      .execute();
    for (const row of rows) counts.set(row.stage, (counts.get(row.stage) ?? 0) + 1);
  }
  return stages.map((stage) => ({ stage, count: counts.get(stage) ?? 0 }));
}
