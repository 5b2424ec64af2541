import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PublicSubmissionAnswer } from '../../core/api/forms.js';
import type { FormField } from '../../core/api/forms.js';
import { PerIpLimit } from '../lib/per-ip-limit.js';
import { OrgScope } from '../teams/org-scope.js';
import { MESSAGES, visitorLocale, type VisitorLocale } from './messages.js';
import { PUBLIC_FORM_CSP, renderFormPage, renderMessagePage } from './page.js';
import { PublicFormParams, PublicSubmissionBody } from './schemas.js';
import { checkAnswers, recordSubmission, type PublicForm } from './service.js';

/** A submission is a few fields of text: 64 KB is far above any real one. */
export const SUBMISSION_BODY_LIMIT = 64 * 1024;
/** Per client address and process: 10 submissions and 120 page views a minute. */
const submissions = () => new PerIpLimit(10, 60_000);
const views = () => new PerIpLimit(120, 60_000);
/** Public submissions act as nobody: no user is the actor of what a visitor sends. */
const VISITOR = { userId: 'system', role: 'viewer' } as const;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

/**
 * The public side of web forms, reached without signing in: GET /f/:token shows the form as
 * server-rendered HTML (no script, strict CSP); POST /f/:token takes the answers as
 * form-encoded (the page) or JSON (your own page), in the visitor's language.
 */
export async function publicFormRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, clock } = fastify;
  const submitLimit = submissions();
  const viewLimit = views();
  // Only this plugin reads form-encoded bodies, as a plain object of the last value per name.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: SUBMISSION_BODY_LIMIT }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  async function findForm(token: string): Promise<PublicForm | null> {
    const row = await store.db
      .selectFrom('forms')
      .select(['id', 'org_id', 'name', 'fields', 'consent_text'])
      .where('public_token', '=', token)
      .executeTakeFirst();
    return row ? { orgId: row.org_id, id: row.id, name: row.name, fields: JSON.parse(row.fields) as FormField[], consentText: row.consent_text } : null;
  }

  const html = (reply: FastifyReply, status: number, body: string) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', PUBLIC_FORM_CSP)
      .header('x-frame-options', null)
      .header('cache-control', 'no-store')
      .send(body);
  const wantsHtml = (request: FastifyRequest) => (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const refuse = (request: FastifyRequest, reply: FastifyReply, locale: VisitorLocale, status: 404 | 429, code: string, retryAfter?: number) => {
    const message = MESSAGES[locale][status === 404 ? 'notFound' : 'tooMany'];
    if (retryAfter) reply.header('retry-after', String(retryAfter));
    if (request.method === 'GET' || wantsHtml(request)) return html(reply, status, renderMessagePage(locale, 'Chorus', message));
    return reply.status(status).send({ error: { code, message } });
  };

  app.get(
    '/f/:token',
    {
      exposeHeadRoute: true,
      config: { public: true, anonymous: true },
      schema: {
        tags: ['forms'],
        summary: 'A public form as HTML (no sign-in)',
        params: PublicFormParams,
        response: { 200: z.string(), 404: z.string(), 429: z.string() },
      },
    },
    async (request, reply) => {
      const locale = visitorLocale(request.headers['accept-language']);
      const wait = viewLimit.take(request.ip);
      if (wait) return refuse(request, reply, locale, 429, 'too_many_requests', wait);
      const form = await findForm(request.params.token);
      if (!form) return refuse(request, reply, locale, 404, 'form_not_found');
      return html(reply, 200, renderFormPage(form, locale, `/f/${request.params.token}`));
    },
  );

  app.post(
    '/f/:token',
    {
      config: { public: true, anonymous: true },
      bodyLimit: SUBMISSION_BODY_LIMIT,
      schema: {
        tags: ['forms'],
        summary: 'Submit a public form (JSON or form-encoded, no sign-in): creates or updates the contact with that email',
        params: PublicFormParams,
        body: PublicSubmissionBody,
        response: {
          200: z.string(),
          201: PublicSubmissionAnswer,
          404: z.union([ErrorBody, z.string()]),
          422: z.union([ErrorBody, z.string()]),
          429: z.union([ErrorBody, z.string()]),
        },
      },
    },
    async (request, reply) => {
      const locale = visitorLocale(request.headers['accept-language']);
      const wait = submitLimit.take(request.ip);
      if (wait) return refuse(request, reply, locale, 429, 'too_many_requests', wait);
      const form = await findForm(request.params.token);
      if (!form) return refuse(request, reply, locale, 404, 'form_not_found');
      const t = MESSAGES[locale];
      const body = request.body as Record<string, unknown>;
      const thanks = () =>
        wantsHtml(request)
          ? html(reply, 200, renderMessagePage(locale, form.name, t.thanks))
          : reply.status(201).send({ ok: true as const, message: t.thanks });
      // The honeypot: a filled hidden field is a bot; it is thanked and nothing is kept.
      if (typeof body.website === 'string' && body.website.trim() !== '') return thanks();
      const { answers, problems } = checkAnswers(form, body);
      if (problems.length) {
        if (wantsHtml(request)) {
          const shown = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
          return html(reply, 422, renderFormPage(form, locale, `/f/${request.params.token}`, shown, problems));
        }
        return reply
          .status(422)
          .send({ error: { code: 'validation_failed', message: t.invalid, details: problems.map((p) => ({ field: p.field, message: t[p.key] })) } });
      }
      await recordSubmission(new OrgScope(store.db, form.orgId, VISITOR, clock), form, answers, locale);
      return thanks();
    },
  );
}
