import type { ContactActivityEntry } from '../../core/api/crm.js';
import type { InteractionKind } from '../../core/api/crm.js';
import type { OrgScope } from '../teams/org-scope.js';
import { contactRow } from './service.js';

const LIMIT = 200;

interface FormSubmissionDetail {
  formId: string;
  formName: string;
  fields: Record<string, string>;
}

/**
 * What the team and the contact did besides posting: notes, tasks, stage changes, form
 * submissions and other interactions (replies, link clicks), newest first. The web merges it
 * with the stored items of the timeline route by time.
 */
export async function contactActivity(scope: OrgScope, contactId: string): Promise<ContactActivityEntry[]> {
  await contactRow(scope, contactId);
  const [notes, tasks, stages, interactions] = await Promise.all([
    scope
      .selectFrom('contact_notes')
      .select(['id', 'body', 'author_name', 'created_at'])
      .where('contact_id', '=', contactId)
      .orderBy('created_at', 'desc')
      .limit(LIMIT)
      .execute(),
    scope
      .selectFrom('tasks')
      .select(['id', 'title', 'due_at', 'done_at', 'created_at'])
      .where('contact_id', '=', contactId)
      .orderBy('created_at', 'desc')
      .limit(LIMIT)
      .execute(),
    scope
      .selectFrom('contact_stage_changes')
      .select(['id', 'from_stage', 'to_stage', 'at'])
      .where('contact_id', '=', contactId)
      .orderBy('at', 'desc')
      .limit(LIMIT)
      .execute(),
    scope
      .selectFrom('contact_interactions')
      .select(['id', 'kind', 'ref_id', 'detail', 'at'])
      .where('contact_id', '=', contactId)
      .orderBy('at', 'desc')
      .limit(LIMIT)
      .execute(),
  ]);
  const entries: ContactActivityEntry[] = [
    ...notes.map((n): ContactActivityEntry => ({ kind: 'note', at: n.created_at, id: n.id, body: n.body, authorName: n.author_name })),
    ...tasks.map((t): ContactActivityEntry => ({ kind: 'task', at: t.created_at, id: t.id, title: t.title, dueAt: t.due_at, done: t.done_at !== null })),
    ...stages.map((s): ContactActivityEntry => ({ kind: 'stage_change', at: s.at, id: s.id, fromStage: s.from_stage, toStage: s.to_stage })),
    ...interactions.map((i): ContactActivityEntry => {
      if (i.kind === 'form_submission' && i.detail) {
        const detail = JSON.parse(i.detail) as FormSubmissionDetail;
        return { kind: 'form_submission', at: i.at, id: i.id, formId: detail.formId, formName: detail.formName, fields: detail.fields };
      }
      return { kind: 'interaction', at: i.at, id: i.id, interaction: i.kind as InteractionKind, refId: i.ref_id };
    }),
  ];
  // ISO times in UTC sort as text; the id breaks ties so the order is stable.
  return entries.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1)).slice(0, LIMIT);
}
