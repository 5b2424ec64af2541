import { z } from 'zod';

export const NotificationView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** Where in the app it points, e.g. /orgs/:orgId/publish?post=…. */
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: z.string(),
  lastDeliveryAt: z.string().nullable(),
  lastDeliveryStatus: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type WebhookView = z.infer<typeof WebhookView>;

/** Newest first; `unread` counts all of yours, not only this page. */
export const NotificationsAnswer = z.object({ notifications: z.array(NotificationView), unread: z.number() });
export type NotificationsAnswer = z.infer<typeof NotificationsAnswer>;
export const WebhooksAnswer = z.object({ webhooks: z.array(WebhookView) });
export const WebhookAnswer = z.object({ webhook: WebhookView });
/** The signing secret is shown this once. */
export const NewWebhookAnswer = z.object({ webhook: WebhookView, secret: z.string() });
