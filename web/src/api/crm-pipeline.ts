import type {
  CompanyPersonView,
  CompanyView,
  ContactPipelineView,
  CrmSettingsView,
  CustomFieldDefinition,
  CustomFieldValue,
  ScoreExplanation,
  ScoringRule,
  TaskView,
} from '@core/api/crm.js';
import type { z } from 'zod';
import { request, segment } from './client.js';

/** Calls of the CRM pipeline API (docs/crm.md): stages, score, owner, phones, fields; tasks. */
export type { CompanyPersonView, CompanyView, ContactPipelineView, CrmSettingsView, ScoreExplanation, TaskView };

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;
const contactPath = (orgId: string, contactId: string) => `${org(orgId)}/contacts/${segment(contactId)}`;

export interface PipelineEdit {
  phones?: string[];
  customFields?: Record<string, z.infer<typeof CustomFieldValue>>;
  ownerUserId?: string | null;
  stage?: string;
  companyId?: string | null;
}

export const getCrmSettings = (orgId: string) => request<{ settings: CrmSettingsView }>('GET', `${org(orgId)}/crm/settings`).then((r) => r.settings);

/** The PATCH body of the CRM settings: only the sections sent change. */
export interface CrmSettingsChange {
  stages?: string[];
  scoringRules?: ScoringRule[];
  customFields?: CustomFieldDefinition[];
}

/** Saves the sections sent; changed scoring rules recompute every score. A stage still held by contacts cannot be removed (409 stage_in_use). */
export const saveCrmSettings = (orgId: string, change: CrmSettingsChange) =>
  request<{ settings: CrmSettingsView }>('PATCH', `${org(orgId)}/crm/settings`, change).then((r) => r.settings);

export const getPipeline = (orgId: string, contactId: string) =>
  request<{ pipeline: ContactPipelineView }>('GET', `${contactPath(orgId, contactId)}/pipeline`).then((r) => r.pipeline);

export const editPipeline = (orgId: string, contactId: string, edit: PipelineEdit) =>
  request<{ pipeline: ContactPipelineView }>('PATCH', `${contactPath(orgId, contactId)}/pipeline`, edit).then((r) => r.pipeline);

export const explainScore = (orgId: string, contactId: string) => request<ScoreExplanation>('GET', `${contactPath(orgId, contactId)}/score`);

export interface TaskQuery {
  mine?: boolean;
  contactId?: string;
  status?: 'open' | 'done' | 'all';
}

export function listTasks(orgId: string, { mine, contactId, status = 'open' }: TaskQuery): Promise<TaskView[]> {
  const query = new URLSearchParams({ status, limit: '100' });
  if (mine) query.set('mine', 'true');
  if (contactId) query.set('contactId', contactId);
  return request<{ tasks: TaskView[] }>('GET', `${org(orgId)}/tasks?${query}`).then((r) => r.tasks);
}

export interface NewTask {
  title: string;
  dueAt?: string | null;
  assigneeUserId?: string | null;
  contactId?: string | null;
  conversationId?: string | null;
  itemId?: string | null;
  teamPostId?: string | null;
}

/** What a new task is about: everything but the title, due time and assignee. */
export type TaskLinks = Pick<NewTask, 'contactId' | 'conversationId' | 'itemId' | 'teamPostId'>;

export const createTask = (orgId: string, task: NewTask, idempotencyKey: string) =>
  request<{ task: TaskView }>('POST', `${org(orgId)}/tasks`, task, { idempotencyKey }).then((r) => r.task);

export const editTask = (orgId: string, taskId: string, edit: { title?: string; dueAt?: string | null; assigneeUserId?: string | null; done?: boolean }) =>
  request<{ task: TaskView }>('PATCH', `${org(orgId)}/tasks/${segment(taskId)}`, edit).then((r) => r.task);

export const listCompanies = (orgId: string) => request<{ companies: CompanyView[] }>('GET', `${org(orgId)}/companies?limit=100`).then((r) => r.companies);

export const getCompany = (orgId: string, companyId: string) =>
  request<{ company: CompanyView; people: CompanyPersonView[] }>('GET', `${org(orgId)}/companies/${segment(companyId)}`);

export const createCompany = (orgId: string, input: { name: string; domain?: string | null }, idempotencyKey: string) =>
  request<{ company: CompanyView }>('POST', `${org(orgId)}/companies`, input, { idempotencyKey }).then((r) => r.company);
