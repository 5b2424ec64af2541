import { errorAnswers } from '../../core/api/errors.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FormSubmissionView, FormView } from '../../core/api/forms.js';
import { scopeOf } from '../http/org-scoped.js';
import { EditFormBody, FormParams, NewFormBody } from './schemas.js';
import { createForm, deleteForm, editForm, formView, listForms, listSubmissions } from './service.js';

const tags = ['forms'];
const read = { permission: 'forms.read' } as const;
const write = { permission: 'forms.write' } as const;

/** Public links are made from the configured public URL, else the address the request came to. */
export const publicBase = (request: FastifyRequest): string => request.server.settings.publicUrl ?? `${request.protocol}://${request.host}`;

/**
 * Lead capture forms under /api/orgs/:orgId/forms. A campaign id is checked by the caller
 * given as `campaignExists` (src/campaigns owns campaigns; forms must not import it back).
 */
export function formRoutes(campaignExists: (request: FastifyRequest, campaignId: string) => Promise<void>) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/forms',
      {
        config: read,
        schema: { tags, summary: 'Lead capture forms, newest first', response: { 200: z.object({ forms: z.array(FormView) }), ...errorAnswers } },
      },
      async (request) => ({
        forms: await listForms(scopeOf(request), publicBase(request)),
      }),
    );
    app.post(
      '/forms',
      {
        config: { ...write, idempotent: true },
        schema: {
          tags,
          summary: 'Build a form; answers with its public URL and an embeddable snippet',
          body: NewFormBody,
          response: { 201: z.object({ form: FormView }), ...errorAnswers },
        },
      },
      async (request, reply) => {
        if (request.body.campaignId) await campaignExists(request, request.body.campaignId);
        return reply.status(201).send({ form: await createForm(scopeOf(request), publicBase(request), request.body) });
      },
    );
    app.get(
      '/forms/:formId',
      {
        config: read,
        schema: {
          tags,
          summary: 'A form and its latest submissions',
          params: FormParams,
          response: { 200: z.object({ form: FormView, submissions: z.array(FormSubmissionView) }), ...errorAnswers },
        },
      },
      async (request) => {
        const scope = scopeOf(request);
        return {
          form: await formView(scope, publicBase(request), request.params.formId),
          submissions: await listSubmissions(scope, request.params.formId, 100),
        };
      },
    );
    app.patch(
      '/forms/:formId',
      {
        config: write,
        schema: {
          tags,
          summary: 'Change a form (its public URL stays)',
          params: FormParams,
          body: EditFormBody,
          response: { 200: z.object({ form: FormView }), ...errorAnswers },
        },
      },
      async (request) => {
        if (request.body.campaignId) await campaignExists(request, request.body.campaignId);
        return { form: await editForm(scopeOf(request), publicBase(request), request.params.formId, request.body) };
      },
    );
    app.delete(
      '/forms/:formId',
      {
        config: write,
        schema: { tags, summary: 'Delete a form and its submissions (contacts stay)', params: FormParams, response: { 204: z.null(), ...errorAnswers } },
      },
      async (request, reply) => {
        await deleteForm(scopeOf(request), request.params.formId);
        return reply.status(204).send(null);
      },
    );
  };
}
