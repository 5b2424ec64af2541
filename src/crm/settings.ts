import { CrmSettingsView, DEFAULT_STAGES, type CustomFieldDefinition, type ScoringRule } from '../../core/api/crm.js';
import { DomainError } from '../lib/domain-error.js';
import type { OrgScope } from '../teams/org-scope.js';

/** The example rules: a reply is worth more than a click, a form submission most. */
export const DEFAULT_SCORING_RULES: ScoringRule[] = [
  { kind: 'reply', points: 10 },
  { kind: 'mention', points: 5 },
  { kind: 'form_submission', points: 20 },
  { kind: 'link_click', points: 5 },
];

const parse = (row: { stages: string; scoring_rules: string; custom_fields: string }): CrmSettingsView =>
  CrmSettingsView.parse({ stages: JSON.parse(row.stages), scoringRules: JSON.parse(row.scoring_rules), customFields: JSON.parse(row.custom_fields) });

/** The org's stages, scoring rules and custom fields; the defaults until an admin changes them. */
export async function crmSettings(scope: OrgScope): Promise<CrmSettingsView> {
  const row = await scope.selectFrom('crm_settings').select(['stages', 'scoring_rules', 'custom_fields']).executeTakeFirst();
  return row ? parse(row) : { stages: [...DEFAULT_STAGES], scoringRules: DEFAULT_SCORING_RULES, customFields: [] };
}

export interface CrmSettingsChange {
  stages?: string[] | undefined;
  scoringRules?: ScoringRule[] | undefined;
  customFields?: CustomFieldDefinition[] | undefined;
}

/** Saves a change; a stage still held by contacts cannot be removed (move them first). */
export async function changeCrmSettings(
  scope: OrgScope,
  change: CrmSettingsChange,
  recomputeScores: (scope: OrgScope) => Promise<void>,
): Promise<CrmSettingsView> {
  return scope.transaction(async (tx) => {
    const current = await crmSettings(tx);
    const next: CrmSettingsView = {
      stages: change.stages ?? current.stages,
      scoringRules: change.scoringRules ?? current.scoringRules,
      customFields: change.customFields ?? current.customFields,
    };
    if (change.stages) {
      const removed = current.stages.filter((s) => !next.stages.includes(s));
      if (removed.length) {
        const held = await tx.selectFrom('contacts').select('stage').where('stage', 'in', removed).executeTakeFirst();
        if (held)
          throw new DomainError('stage_in_use', `Contacts are still in the stage "${held.stage}": move them to another stage first`, 409, {
            stage: held.stage,
          });
      }
    }
    const values = {
      stages: JSON.stringify(next.stages),
      scoring_rules: JSON.stringify(next.scoringRules),
      custom_fields: JSON.stringify(next.customFields),
      updated_at: tx.now(),
    };
    const updated = await tx.updateTable('crm_settings').set(values).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('crm_settings', values);
    if (change.scoringRules) await recomputeScores(tx);
    await tx.audit('crm.settings_changed', { fields: Object.keys(change).filter((k) => change[k as keyof CrmSettingsChange] !== undefined) });
    return next;
  });
}
