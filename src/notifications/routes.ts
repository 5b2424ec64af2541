import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../http/org-scoped.js';
import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import { webAddress } from '../lib/outbound-http/web-address.js';
import type { SafeFetch } from '../lib/outbound-http/safe-fetch.js';
import { addWebhook, listMyNotifications, listWebhooks, markNotificationsRead, removeWebhook, testWebhook } from './service.js';
import { WEBHOOK_EVENTS } from './webhooks.js';
import { errorAnswers, NoBody } from '../../core/api/errors.js';
import { NewWebhookAnswer, NotificationsAnswer, WebhookAnswer, WebhooksAnswer } from '../../core/api/notifications.js';

const tags = ['notifications'];
const ListQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.string().min(1).max(500).optional() });
const ReadBody = z.strictObject({ ids: z.array(z.string().min(1).max(100)).max(500).optional(), all: z.boolean().optional() });
const NewWebhookBody = z.strictObject({
  url: webAddress('https://hooks.example.com/chorus'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
});
const WebhookParams = z.strictObject({ orgId: z.string(), webhookId: z.string().min(1).max(100) });

/** In-app notifications of the signed-in member, and the org's outbound webhooks; under /api/orgs/:orgId. */
export function notificationRoutes(fetch: () => SafeFetch, addressPolicy: AddressPolicy) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/notifications',
      {
        config: { permission: 'org.read' },
        schema: {
          tags,
          summary: 'Your notifications in this organization, newest first',
          querystring: ListQuery,
          response: { 200: NotificationsAnswer, ...errorAnswers },
        },
      },
      async (request) => listMyNotifications(scopeOf(request), request.query),
    );

    app.post(
      '/notifications/read',
      {
        config: { permission: 'org.read' },
        schema: { tags, summary: 'Mark some (ids) or all of your notifications read', body: ReadBody, response: { 204: NoBody, ...errorAnswers } },
      },
      async (request, reply) => {
        await markNotificationsRead(scopeOf(request), request.body.all ? 'all' : (request.body.ids ?? []));
        return reply.status(204).send();
      },
    );

    app.get(
      '/webhooks',
      {
        config: { permission: 'webhooks.manage' },
        schema: { tags, summary: 'Outbound webhooks and their last delivery', response: { 200: WebhooksAnswer, ...errorAnswers } },
      },
      async (request) => ({
        webhooks: await listWebhooks(scopeOf(request)),
      }),
    );

    app.post(
      '/webhooks',
      {
        config: { permission: 'webhooks.manage', idempotent: true },
        schema: {
          tags,
          summary: 'Add a webhook (its signing secret is shown once)',
          body: NewWebhookBody,
          response: { 201: NewWebhookAnswer, ...errorAnswers },
        },
      },
      async (request, reply) => reply.status(201).send(await addWebhook(scopeOf(request), addressPolicy, request.body)),
    );

    app.post(
      '/webhooks/:webhookId/test',
      {
        config: { permission: 'webhooks.manage' },
        schema: { tags, summary: 'Send a test event now', params: WebhookParams, response: { 200: WebhookAnswer, ...errorAnswers } },
      },
      async (request) => ({
        webhook: await testWebhook(scopeOf(request), fetch(), request.params.webhookId),
      }),
    );

    app.delete(
      '/webhooks/:webhookId',
      {
        config: { permission: 'webhooks.manage' },
        schema: { tags, summary: 'Remove a webhook', params: WebhookParams, response: { 204: NoBody, ...errorAnswers } },
      },
      async (request, reply) => {
        await removeWebhook(scopeOf(request), request.params.webhookId);
        return reply.status(204).send();
      },
    );
  };
}
