import type { NotificationsAnswer, NotificationView, WebhookView } from '@core/api/notifications.js';
import type { WebhookEvent } from '@core/api/vocabulary.js';
import { request, segment } from './client.js';

/** Answers of src/notifications/routes.ts: the server's own (core/api/notifications.ts). */
export type AppNotification = NotificationView;
export type Webhook = WebhookView;
export { WEBHOOK_EVENTS, type WebhookEvent } from '@core/api/vocabulary.js';

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;

export const listNotifications = (orgId: string) => request<NotificationsAnswer>('GET', `${org(orgId)}/notifications`);
export const markRead = (orgId: string, which: { ids: string[] } | { all: true }) => request<void>('POST', `${org(orgId)}/notifications/read`, which);

export const listWebhooks = (orgId: string) => request<{ webhooks: Webhook[] }>('GET', `${org(orgId)}/webhooks`).then((r) => r.webhooks);
export const addWebhook = (orgId: string, input: { url: string; events: WebhookEvent[] }, idempotencyKey: string) =>
  request<{ webhook: Webhook; secret: string }>('POST', `${org(orgId)}/webhooks`, input, { idempotencyKey });
export const testWebhook = (orgId: string, webhookId: string) =>
  request<{ webhook: Webhook }>('POST', `${org(orgId)}/webhooks/${segment(webhookId)}/test`).then((r) => r.webhook);
export const removeWebhook = (orgId: string, webhookId: string) => request<void>('DELETE', `${org(orgId)}/webhooks/${segment(webhookId)}`);
