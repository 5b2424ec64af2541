import { z } from 'zod';
import { NextCursor } from './pagination.js';
import { WEBHOOK_EVENTS } from './vocabulary.js';

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
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  createdAt: z.string(),
  lastDeliveryAt: z.string().nullable(),
  lastDeliveryStatus: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type WebhookView = z.infer<typeof WebhookView>;

/** Newest first, one page (docs/api.md#pagination); `unread` counts all of yours, not only this page. */
export const NotificationsAnswer = z.object({ notifications: z.array(NotificationView), nextCursor: NextCursor, unread: z.number() });
export type NotificationsAnswer = z.infer<typeof NotificationsAnswer>;
export const WebhooksAnswer = z.object({ webhooks: z.array(WebhookView) });
export type WebhooksAnswer = z.infer<typeof WebhooksAnswer>;
export const WebhookAnswer = z.object({ webhook: WebhookView });
export type WebhookAnswer = z.infer<typeof WebhookAnswer>;
/** The signing secret is shown this once. */
export const NewWebhookAnswer = z.object({ webhook: WebhookView, secret: z.string() });
export type NewWebhookAnswer = z.infer<typeof NewWebhookAnswer>;
