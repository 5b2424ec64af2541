import { INTERACTION_KINDS, type CrmSettingsView, type CustomFieldDefinition, type InteractionKind } from '@core/api/crm.js';
import type { CrmSettingsChange } from '../../../api/crm-pipeline.js';

/** What the CRM settings form edits: stages in order, points for every interaction kind, custom fields. */
export interface CrmSettingsDraft {
  stages: string[];
  points: Record<InteractionKind, number>;
  customFields: CustomFieldDefinition[];
}

/** A kind without a rule counts for nothing: the form shows it as 0 points. */
export function draftOf(settings: CrmSettingsView): CrmSettingsDraft {
  const points = Object.fromEntries(INTERACTION_KINDS.map((kind) => [kind, settings.scoringRules.find((r) => r.kind === kind)?.points ?? 0]));
  return { stages: [...settings.stages], points: points as Record<InteractionKind, number>, customFields: settings.customFields.map((f) => ({ ...f })) };
}

const rulesOf = (points: Record<InteractionKind, number>) =>
  INTERACTION_KINDS.filter((kind) => points[kind] !== 0).map((kind) => ({ kind, points: points[kind] }));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The change from the saved settings to the draft, only the sections that differ (saving stages alone recomputes no score); empty when nothing changed. */
export function changeOf(saved: CrmSettingsView, draft: CrmSettingsDraft): CrmSettingsChange {
  const before = draftOf(saved);
  const change: CrmSettingsChange = {};
  if (!same(before.stages, draft.stages)) change.stages = draft.stages;
  if (!same(rulesOf(before.points), rulesOf(draft.points))) change.scoringRules = rulesOf(draft.points);
  if (!same(before.customFields, draft.customFields)) change.customFields = draft.customFields;
  return change;
}

/** A stage as the server stores it (trimmed, lower case). */
export const stageName = (name: string) => name.trim().toLowerCase();

/** Moves the stage at `index` one place up (-1) or down (+1); out of range leaves the order as it is. */
export function moveStage(stages: string[], index: number, by: -1 | 1): string[] {
  const to = index + by;
  if (to < 0 || to >= stages.length) return stages;
  const next = [...stages];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

/** Adds a stage at the end, or returns null when it is empty or already there. */
export function addStage(stages: string[], name: string): string[] | null {
  const stage = stageName(name);
  return stage && !stages.includes(stage) ? [...stages, stage] : null;
}

/** The example under the scoring rules: one reply and one form submission, with the draft's points. */
export function exampleScore(points: Record<InteractionKind, number>): number {
  return points.reply + points.form_submission;
}

/** A contact's values of the fields the org still defines: a removed field's stored value is kept, but sending it back is refused. */
export function definedFieldValues<V>(definitions: CustomFieldDefinition[], values: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => definitions.some((d) => d.key === key)));
}
