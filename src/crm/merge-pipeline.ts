import type { OrgScope } from '../teams/org-scope.js';
import { recomputeScore } from './scoring.js';
import type { ContactRow } from './views.js';

/** A merge moves the other contact's interactions, stage history and tasks to the kept one. */
export async function moveActivity(scope: OrgScope, fromContactId: string, toContactId: string): Promise<void> {
  await scope.updateTable('contact_interactions').set({ contact_id: toContactId }).where('contact_id', '=', fromContactId).execute();
  await scope.updateTable('contact_stage_changes').set({ contact_id: toContactId }).where('contact_id', '=', fromContactId).execute();
  await scope.updateTable('tasks').set({ contact_id: toContactId }).where('contact_id', '=', fromContactId).execute();
}

/** Phones of both, the other's custom values, owner and company where the kept one has none; the score of both histories. */
export async function mergePipelineFields(scope: OrgScope, kept: ContactRow, other: ContactRow): Promise<void> {
  const phones = [...new Set([...(JSON.parse(kept.phones) as string[]), ...(JSON.parse(other.phones) as string[])])];
  const customFields = { ...(JSON.parse(other.custom_fields) as object), ...(JSON.parse(kept.custom_fields) as object) };
  await scope
    .updateTable('contacts')
    .set({
      phones: JSON.stringify(phones),
      custom_fields: JSON.stringify(customFields),
      owner_user_id: kept.owner_user_id ?? other.owner_user_id,
      company_id: kept.company_id ?? other.company_id,
    })
    .where('id', '=', kept.id)
    .execute();
  await recomputeScore(scope, kept.id);
}
