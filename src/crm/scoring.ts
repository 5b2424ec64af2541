import type { InteractionKind, ScoreExplanation, ScoringRule } from '../../core/api/crm.js';
import { newId } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';
import { crmSettings } from './settings.js';

/** How many interactions of each kind a contact has. */
async function interactionCounts(scope: OrgScope, contactId: string): Promise<Map<string, number>> {
  const rows = await scope
    .selectFrom('contact_interactions')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
    .where('contact_id', '=', contactId)
    .groupBy('kind')
    .execute();
  return new Map(rows.map((r) => [r.kind, Number(r.n)]));
}

/** Each rule that counted for the contact, how often, and what it added: the score is their sum. */
export function explain(rules: ScoringRule[], counts: Map<string, number>): ScoreExplanation {
  const lines = rules
    .map((rule) => ({ kind: rule.kind, points: rule.points, count: counts.get(rule.kind) ?? 0 }))
    .filter((line) => line.count > 0)
    .map((line) => ({ ...line, subtotal: line.points * line.count }));
  return { score: lines.reduce((sum, line) => sum + line.subtotal, 0), lines };
}

/** "Why 35?" for one contact, by the org's current rules. */
export async function explainScore(scope: OrgScope, contactId: string): Promise<ScoreExplanation> {
  const { scoringRules } = await crmSettings(scope);
  return explain(scoringRules, await interactionCounts(scope, contactId));
}

async function storeScore(scope: OrgScope, contactId: string, rules: ScoringRule[]): Promise<number> {
  const { score } = explain(rules, await interactionCounts(scope, contactId));
  await scope.updateTable('contacts').set({ score }).where('id', '=', contactId).execute();
  return score;
}

/** One contact's score again, by the org's current rules. */
export async function recomputeScore(scope: OrgScope, contactId: string): Promise<number> {
  const { scoringRules } = await crmSettings(scope);
  return storeScore(scope, contactId, scoringRules);
}

/** Every contact's score again, after the rules changed. */
export async function recomputeAllScores(scope: OrgScope): Promise<void> {
  const { scoringRules } = await crmSettings(scope);
  const ids = await scope.selectFrom('contacts').select('id').execute();
  for (const { id } of ids) await storeScore(scope, id, scoringRules);
}

/**
 * Records something a contact did and recomputes the contact's lead score in the same
 * transaction. The hook other modules feed: the inbox (`reply`, `mention`), web forms
 * (`form_submission`), short links (`link_click`, with the link or click id as `refId`).
 * Returns the new score.
 */
export async function recordContactInteraction(
  scope: OrgScope,
  contactId: string,
  kind: InteractionKind,
  refId: string | null = null,
  detail: unknown = null,
): Promise<number> {
  return scope.transaction(async (tx) => {
    // Lock the contact first: concurrent interactions of one contact then count each other's rows.
    await tx
      .updateTable('contacts')
      .set((eb) => ({ score: eb.ref('score') }))
      .where('id', '=', contactId)
      .execute();
    await tx.insertInto('contact_interactions', {
      id: newId(),
      contact_id: contactId,
      kind,
      ref_id: refId,
      detail: detail === null ? null : JSON.stringify(detail),
      at: tx.now(),
    });
    const { scoringRules } = await crmSettings(tx);
    return storeScore(tx, contactId, scoringRules);
  });
}
