import { errorAnswers } from '../../core/api/errors.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CompanyPersonView,
  CompanyView,
  ContactActivityEntry,
  ContactImportResult,
  ContactPipelineView,
  CrmSettingsView,
  ScoreExplanation,
  TaskView,
} from '../../core/api/crm.js';
import { scopeOf } from '../http/org-scoped.js';
import { contactActivity } from './activity.js';
import { companyPeople, companyView, createCompany, deleteCompany, editCompany, listCompanies } from './companies.js';
import { importContacts } from './contacts-import.js';
import { changePipeline, contactPipeline } from './pipeline.js';
import {
  CompaniesQuery,
  CompanyParams,
  CrmSettingsBody,
  EditCompanyBody,
  EditTaskBody,
  ImportBody,
  NewCompanyBody,
  NewTaskBody,
  PipelineBody,
  TaskParams,
  TasksQuery,
} from './pipeline-schemas.js';
import { ContactParams } from '../../core/api/crm-requests.js';
import { explainScore, recomputeAllScores } from './scoring.js';
import { changeCrmSettings, crmSettings } from './settings.js';
import { changeTask, createTask, deleteTask, listTasks, taskView, type TaskLinkChecks } from './tasks.js';

const read = { permission: 'contacts.read' } as const;
const write = { permission: 'contacts.write' } as const;
const create = { ...write, idempotent: true } as const;
const Empty = z.null().describe('No content');

/** The CRM pipeline: stages, scores, fields, companies, tasks and CSV import; under /api/orgs/:orgId. Tasks check the conversation or team post they link to with `TaskLinkChecks`, passed in by the assembly. */
export const crmPipelineRoutes = (links: TaskLinkChecks) => (fastify: FastifyInstance) => pipelineRoutes(fastify, links);

async function pipelineRoutes(fastify: FastifyInstance, links: TaskLinkChecks): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];

  app.get(
    '/crm/settings',
    {
      config: read,
      schema: {
        tags,
        summary: 'Lifecycle stages, lead scoring rules and custom fields of the org',
        response: { 200: z.object({ settings: CrmSettingsView }), ...errorAnswers },
      },
    },
    async (request) => ({
      settings: await crmSettings(scopeOf(request)),
    }),
  );
  app.patch(
    '/crm/settings',
    {
      config: { permission: 'crm.settings' },
      schema: {
        tags,
        summary: 'Change stages, scoring rules (every score is recomputed) or custom fields',
        body: CrmSettingsBody,
        response: { 200: z.object({ settings: CrmSettingsView }), ...errorAnswers },
      },
    },
    async (request) => ({ settings: await changeCrmSettings(scopeOf(request), request.body, recomputeAllScores) }),
  );

  app.get(
    '/contacts/:contactId/pipeline',
    {
      config: read,
      schema: {
        tags,
        summary: "A contact's phones, custom fields, owner, stage, score and company",
        params: ContactParams,
        response: { 200: z.object({ pipeline: ContactPipelineView }), ...errorAnswers },
      },
    },
    async (request) => ({
      pipeline: await contactPipeline(scopeOf(request), request.params.contactId),
    }),
  );
  app.patch(
    '/contacts/:contactId/pipeline',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change phones, custom fields (merged by key), owner, stage or company',
        params: ContactParams,
        body: PipelineBody,
        response: { 200: z.object({ pipeline: ContactPipelineView }), ...errorAnswers },
      },
    },
    async (request) => ({ pipeline: await changePipeline(scopeOf(request), request.params.contactId, request.body) }),
  );
  app.get(
    '/contacts/:contactId/score',
    {
      config: read,
      schema: {
        tags,
        summary: 'Why the lead score is what it is: each rule, how often it counted, what it added',
        params: ContactParams,
        response: { 200: ScoreExplanation, ...errorAnswers },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      await contactPipeline(scope, request.params.contactId);
      return explainScore(scope, request.params.contactId);
    },
  );
  app.get(
    '/contacts/:contactId/activity',
    {
      config: read,
      schema: {
        tags,
        summary: 'Notes, tasks, stage changes, form submissions and interactions, newest first',
        params: ContactParams,
        response: { 200: z.object({ entries: z.array(ContactActivityEntry) }), ...errorAnswers },
      },
    },
    async (request) => ({ entries: await contactActivity(scopeOf(request), request.params.contactId) }),
  );
  app.post(
    '/contacts/import',
    {
      // With an Idempotency-Key, a repeated import (a double-click, a retry after a timeout) replays the first one's answer.
      config: create,
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import contacts from CSV: preview with a row-level error report, then import',
        body: ImportBody,
        response: { 200: ContactImportResult, ...errorAnswers },
      },
    },
    async (request) => importContacts(scopeOf(request), request.body),
  );

  const companyTags = ['companies'];
  app.get(
    '/companies',
    {
      config: read,
      schema: {
        tags: companyTags,
        summary: 'Companies by name',
        querystring: CompaniesQuery,
        response: { 200: z.object({ companies: z.array(CompanyView), nextCursor: z.string().nullable() }), ...errorAnswers },
      },
    },
    async (request) => listCompanies(scopeOf(request), request.query),
  );
  app.post(
    '/companies',
    {
      config: create,
      schema: {
        tags: companyTags,
        summary: 'Create a company; contacts with its email domain join it',
        body: NewCompanyBody,
        response: { 201: z.object({ company: CompanyView }), ...errorAnswers },
      },
    },
    async (request, reply) => reply.status(201).send({ company: await createCompany(scopeOf(request), request.body) }),
  );
  app.get(
    '/companies/:companyId',
    {
      config: read,
      schema: {
        tags: companyTags,
        summary: 'A company and its people',
        params: CompanyParams,
        response: { 200: z.object({ company: CompanyView, people: z.array(CompanyPersonView) }), ...errorAnswers },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      return { company: await companyView(scope, request.params.companyId), people: await companyPeople(scope, request.params.companyId) };
    },
  );
  app.patch(
    '/companies/:companyId',
    {
      config: write,
      schema: {
        tags: companyTags,
        summary: 'Rename a company or change its domain',
        params: CompanyParams,
        body: EditCompanyBody,
        response: { 200: z.object({ company: CompanyView }), ...errorAnswers },
      },
    },
    async (request) => ({
      company: await editCompany(scopeOf(request), request.params.companyId, request.body),
    }),
  );
  app.delete(
    '/companies/:companyId',
    {
      config: write,
      schema: { tags: companyTags, summary: 'Delete a company (its contacts stay)', params: CompanyParams, response: { 204: Empty, ...errorAnswers } },
    },
    async (request, reply) => {
      await deleteCompany(scopeOf(request), request.params.companyId);
      return reply.status(204).send(null);
    },
  );

  const taskTags = ['tasks'];
  app.get(
    '/tasks',
    {
      config: read,
      schema: {
        tags: taskTags,
        summary: 'Tasks: open ones by due time (mine=true: assigned to me; contactId; status)',
        querystring: TasksQuery,
        response: { 200: z.object({ tasks: z.array(TaskView), nextCursor: z.string().nullable() }), ...errorAnswers },
      },
    },
    async (request) => listTasks(scopeOf(request), request.query),
  );
  app.post(
    '/tasks',
    {
      config: create,
      schema: {
        tags: taskTags,
        summary: 'Create a task, optionally for a contact, conversation, post, stream item or team-feed post',
        body: NewTaskBody,
        response: { 201: z.object({ task: TaskView }), ...errorAnswers },
      },
    },
    async (request, reply) => reply.status(201).send({ task: await createTask(scopeOf(request), request.body, links) }),
  );
  app.get(
    '/tasks/:taskId',
    { config: read, schema: { tags: taskTags, summary: 'A task', params: TaskParams, response: { 200: z.object({ task: TaskView }), ...errorAnswers } } },
    async (request) => ({
      task: await taskView(scopeOf(request), request.params.taskId),
    }),
  );
  app.patch(
    '/tasks/:taskId',
    {
      config: write,
      schema: {
        tags: taskTags,
        summary: 'Change title, due time, assignee, or mark done',
        params: TaskParams,
        body: EditTaskBody,
        response: { 200: z.object({ task: TaskView }), ...errorAnswers },
      },
    },
    async (request) => ({
      task: await changeTask(scopeOf(request), request.params.taskId, request.body),
    }),
  );
  app.delete(
    '/tasks/:taskId',
    { config: write, schema: { tags: taskTags, summary: 'Delete a task', params: TaskParams, response: { 204: Empty, ...errorAnswers } } },
    async (request, reply) => {
      await deleteTask(scopeOf(request), request.params.taskId);
      return reply.status(204).send(null);
    },
  );
}
