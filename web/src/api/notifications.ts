import { request, segment } from './client.js';

/** Response shapes of src/notifications/routes.ts. */
export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** An in-app path, e.g. /orgs/:orgId/publish?post=… */
  link: string | null;
  createdAt: string;
  read: boolean;
}

export const WEBHOOK_EVENTS = ['post.target_failed', 'post.rejected', 'webhook.test'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
  lastDeliveryAt: string | null;
  lastDeliveryStatus: number | null;
  lastError: string | null;
}

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;

export const listNotifications = (orgId: string) => request<{ notifications: AppNotification[]; unread: number }>('GET', `${org(orgId)}/notifications`);
export const markRead = (orgId: string, which: { ids: string[] } | { all: true }) => request<void>('POST', `${org(orgId)}/notifications/read`, which);

export const listWebhooks = (orgId: string) => request<{ webhooks: Webhook[] }>('GET', `${org(orgId)}/webhooks`).then((r) => r.webhooks);
export const addWebhook = (orgId: string, input: { url: string; events: WebhookEvent[] }, idempotencyKey: string) =>
  request<{ webhook: Webhook; secret: string }>('POST', `${org(orgId)}/webhooks`, input, { idempotencyKey });
export const testWebhook = (orgId: string, webhookId: string) => request<{ webhook: Webhook }>('POST', `${org(orgId)}/webhooks/${segment(webhookId)}/test`).then((r) => r.webhook);
export const removeWebhook = (orgId: string, webhookId: string) => request<void>('DELETE', `${org(orgId)}/webhooks/${segment(webhookId)}`);
