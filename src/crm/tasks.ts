import type { Kysely, Selectable } from 'kysely';
import { userSummaries } from '../accounts/users.js';
import type { TaskView } from '../../core/api/crm.js';
import type { Clock } from '../lib/clock.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import { notifyInApp } from '../notifications/service.js';
import { getPost } from '../publishing/service.js';
import type { Database } from '../store/database.js';
import { itemAuthor, itemUrls } from '../streams/item-authors.js';
import { OrgScope } from '../teams/org-scope.js';
import { membershipRole } from '../teams/service.js';
import { contactNames } from './contact-names.js';
import { contactOfAuthor } from './identities.js';
import type { TasksTable } from './tables.js';

const notFound = () => new DomainError('task_not_found', 'Task not found', 404);

/**
 * Whether the scope's org has the inbox conversation / team-feed post a task links to. The assembly
 * (src/app/) passes inbox's and team-feed's checks: those modules import crm, so crm imports neither.
 */
export interface TaskLinkChecks {
  conversationExists(scope: OrgScope, conversationId: string): Promise<boolean>;
  teamPostExists(scope: OrgScope, postId: string): Promise<boolean>;
}

export interface NewTask {
  title: string;
  dueAt?: string | null | undefined;
  assigneeUserId?: string | null | undefined;
  contactId?: string | null | undefined;
  conversationId?: string | null | undefined;
  postId?: string | null | undefined;
  itemId?: string | null | undefined;
  teamPostId?: string | null | undefined;
}

export interface TaskChange {
  title?: string | undefined;
  dueAt?: string | null | undefined;
  assigneeUserId?: string | null | undefined;
  done?: boolean | undefined;
}

export interface TaskFilter {
  /** Only tasks assigned to the caller. */
  mine?: boolean | undefined;
  contactId?: string | undefined;
  status?: 'open' | 'done' | 'all' | undefined;
  before?: string | undefined;
  limit: number;
}

async function present(scope: OrgScope, rows: Selectable<TasksTable>[]): Promise<TaskView[]> {
  const userIds = [...new Set(rows.map((r) => r.assignee_user_id).filter((id): id is string => id !== null))];
  const contactIds = [...new Set(rows.map((r) => r.contact_id).filter((id): id is string => id !== null))];
  const users = await userSummaries(scope.shared, userIds);
  const contactName = await contactNames(scope, contactIds);
  const itemUrl = await itemUrls(scope, [...new Set(rows.map((r) => r.item_id).filter((id): id is string => id !== null))]);
  const now = scope.now();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    dueAt: r.due_at,
    assigneeUserId: r.assignee_user_id,
    assigneeName: r.assignee_user_id ? (users.get(r.assignee_user_id)?.name ?? null) : null,
    contactId: r.contact_id,
    contactName: r.contact_id ? (contactName.get(r.contact_id) ?? null) : null,
    conversationId: r.conversation_id,
    postId: r.post_id,
    itemId: r.item_id,
    itemUrl: r.item_id ? (itemUrl.get(r.item_id) ?? null) : null,
    teamPostId: r.team_post_id,
    done: r.done_at !== null,
    doneAt: r.done_at,
    overdue: r.done_at === null && r.due_at !== null && r.due_at < now,
    createdAt: r.created_at,
  }));
}

export async function taskView(scope: OrgScope, taskId: string): Promise<TaskView> {
  const row = await scope.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!row) throw notFound();
  return (await present(scope, [row]))[0]!;
}

/** Open tasks first by due time (none last), then done ones newest first; a cursor is an offset into that order. */
export async function listTasks(scope: OrgScope, filter: TaskFilter): Promise<{ tasks: TaskView[]; nextCursor: string | null }> {
  let query = scope.selectFrom('tasks').selectAll();
  if (filter.mine) query = query.where('assignee_user_id', '=', scope.actor.userId);
  if (filter.contactId) query = query.where('contact_id', '=', filter.contactId);
  const status = filter.status ?? 'open';
  if (status === 'open') query = query.where('done_at', 'is', null);
  if (status === 'done') query = query.where('done_at', 'is not', null);
  const offset = filter.before ? Math.max(0, Number.parseInt(filter.before, 10) || 0) : 0;
  const rows = await query
    .orderBy((eb) => eb.case().when('done_at', 'is', null).then(0).else(1).end())
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .orderBy('done_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(offset)
    .execute();
  return { tasks: await present(scope, rows), nextCursor: rows.length === filter.limit ? String(offset + rows.length) : null };
}

async function checkAssignee(scope: OrgScope, userId: string | null | undefined): Promise<void> {
  if (userId && !(await membershipRole(scope.shared, scope.orgId, userId)))
    throw new DomainError('assignee_not_member', 'The assignee must be a member of this organization', 422);
}

/**
 * A task, optionally made from a stream item (its author's contact is linked when there is
 * one), a post, a team-feed post or an inbox conversation. Without an assignee it is the creator's.
 */
export async function createTask(scope: OrgScope, input: NewTask, links: TaskLinkChecks): Promise<TaskView> {
  return scope.transaction(async (tx) => {
    const assignee = input.assigneeUserId === undefined ? tx.actor.userId : input.assigneeUserId;
    await checkAssignee(tx, assignee);
    let contactId = input.contactId ?? null;
    if (contactId && !(await tx.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst()))
      throw new DomainError('contact_not_found', 'Contact not found', 404);
    if (input.itemId) {
      const author = await itemAuthor(tx, input.itemId);
      if (!author) throw new DomainError('item_not_found', 'Item not found', 404);
      contactId ??= await contactOfAuthor(tx, { network: author.network, matchKey: author.authorKey });
    }
    if (input.postId) await getPost(tx, input.postId);
    if (input.conversationId && !(await links.conversationExists(tx, input.conversationId)))
      throw new DomainError('conversation_not_found', 'Conversation not found in this organization', 404);
    if (input.teamPostId && !(await links.teamPostExists(tx, input.teamPostId)))
      throw new DomainError('team_post_not_found', 'Team post not found in this organization', 404);
    const id = newId();
    const now = tx.now();
    await tx.insertInto('tasks', {
      id,
      title: input.title,
      due_at: input.dueAt ?? null,
      assignee_user_id: assignee,
      contact_id: contactId,
      conversation_id: input.conversationId ?? null,
      post_id: input.postId ?? null,
      item_id: input.itemId ?? null,
      team_post_id: input.teamPostId ?? null,
      done_at: null,
      reminded_at: null,
      created_by_user_id: tx.actor.userId,
      created_at: now,
      updated_at: now,
    });
    await tx.audit('task.created', { taskId: id, contactId });
    return taskView(tx, id);
  });
}

export async function changeTask(scope: OrgScope, taskId: string, change: TaskChange): Promise<TaskView> {
  return scope.transaction(async (tx) => {
    const row = await tx.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
    if (!row) throw notFound();
    await checkAssignee(tx, change.assigneeUserId);
    const now = tx.now();
    // A new due time or assignee deserves a new reminder.
    const remindAgain =
      (change.dueAt !== undefined && change.dueAt !== row.due_at) || (change.assigneeUserId !== undefined && change.assigneeUserId !== row.assignee_user_id);
    await tx
      .updateTable('tasks')
      .set({
        ...(change.title !== undefined ? { title: change.title } : {}),
        ...(change.dueAt !== undefined ? { due_at: change.dueAt } : {}),
        ...(change.assigneeUserId !== undefined ? { assignee_user_id: change.assigneeUserId } : {}),
        ...(change.done !== undefined ? { done_at: change.done ? (row.done_at ?? now) : null } : {}),
        ...(remindAgain ? { reminded_at: null } : {}),
        updated_at: now,
      })
      .where('id', '=', taskId)
      .execute();
    await tx.audit('task.updated', { taskId, fields: Object.keys(change).filter((k) => change[k as keyof TaskChange] !== undefined) });
    return taskView(tx, taskId);
  });
}

export async function deleteTask(scope: OrgScope, taskId: string): Promise<void> {
  await scope.transaction(async (tx) => {
    if (!(await tx.selectFrom('tasks').select('id').where('id', '=', taskId).executeTakeFirst())) throw notFound();
    await tx.deleteFrom('tasks').where('id', '=', taskId).execute();
    await tx.audit('task.deleted', { taskId });
  });
}

const REMINDER_ACTOR = { userId: 'system', role: 'owner' } as const;

/**
 * One round of task reminders: each open task that is due and not yet reminded puts one line in
 * its assignee's bell. The claim (`reminded_at` set where it was null) and the notification are
 * one transaction, so any number of workers remind each task once. Returns how many it sent.
 */
export async function remindDueTasks(db: Kysely<Database>, clock: Clock, batchSize: number): Promise<number> {
  const now = new Date(clock()).toISOString();
  const due = await db
    .selectFrom('tasks')
    .select(['id', 'org_id', 'title', 'assignee_user_id', 'contact_id', 'due_at'])
    .where('reminded_at', 'is', null)
    .where('done_at', 'is', null)
    .where('due_at', '<=', now)
    .where('assignee_user_id', 'is not', null)
    .orderBy('due_at')
    .limit(batchSize)
    .execute();
  let sent = 0;
  for (const task of due) {
    const scope = new OrgScope(db, task.org_id, REMINDER_ACTOR, clock);
    const claimed = await scope.transaction(async (tx) => {
      const result = await tx.updateTable('tasks').set({ reminded_at: tx.now() }).where('id', '=', task.id).where('reminded_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      const link = task.contact_id ? `/orgs/${task.org_id}/contacts/${task.contact_id}` : `/orgs/${task.org_id}/tasks`;
      // The line under the title names who the task is about; a raw ISO due time there was neither
      // localized nor news (the notification's own time is the due time, within a worker round).
      const contact = task.contact_id ? await tx.selectFrom('contacts').select('display_name').where('id', '=', task.contact_id).executeTakeFirst() : undefined;
      await notifyInApp(tx, { userId: task.assignee_user_id!, kind: 'task.due', title: task.title, body: contact?.display_name ?? '', link });
      return true;
    });
    if (claimed) sent++;
  }
  return sent;
}
