import { newId, newSecret } from '../lib/ids.js';
import { DomainError } from '../lib/domain-error.js';
import type { AddressPolicy } from '../lib/outbound-http/address-policy.js';
import { refusedDestination } from '../lib/outbound-http/destination.js';
import type { SafeFetch } from '../lib/outbound-http/safe-fetch.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { NotificationsTable, WebhookEndpointsTable } from './tables.js';
import { deliverWebhook, type WebhookEvent } from './webhooks.js';
import type { NotificationsAnswer, NotificationView, WebhookView } from '../../core/api/notifications.js';
import { decodePageCursor, nextCursorOf } from '../lib/page-cursor.js';

export type { NotificationView, WebhookView };

const presentNotification = (row: NotificationsTable): NotificationView => ({
  id: row.id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  link: row.link,
  createdAt: row.created_at,
  read: row.read_at !== null,
});

const presentWebhook = (row: WebhookEndpointsTable): WebhookView => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as WebhookEvent[],
  createdAt: row.created_at,
  lastDeliveryAt: row.last_delivery_at,
  lastDeliveryStatus: row.last_delivery_status,
  lastError: row.last_error,
});

export interface OrgEvent {
  kind: WebhookEvent;
  /** The teammate who should see it in the app. */
  userId: string;
  title: string;
  body: string;
  link: string | null;
  payload: Record<string, unknown>;
}

/** A line in a teammate's bell, with no webhook (task reminders). */
export async function notifyInApp(scope: OrgScope, note: { userId: string; kind: string; title: string; body: string; link: string | null }): Promise<void> {
  await scope.insertInto('notifications', {
    id: newId(),
    user_id: note.userId,
    kind: note.kind,
    title: note.title,
    body: note.body,
    link: note.link,
    created_at: scope.now(),
    read_at: null,
  });
}

/** Tells a teammate in the app and every webhook of the org that subscribed to the event. */
export async function announce(scope: OrgScope, fetch: SafeFetch, event: OrgEvent): Promise<void> {
  await scope.insertInto('notifications', {
    id: newId(),
    user_id: event.userId,
    kind: event.kind,
    title: event.title,
    body: event.body,
    link: event.link,
    created_at: scope.now(),
    read_at: null,
  });
  const endpoints = await scope.selectFrom('webhook_endpoints').selectAll().execute();
  for (const endpoint of endpoints.filter((e) => (JSON.parse(e.events) as string[]).includes(event.kind))) {
    await deliverAndRecord(scope, fetch, endpoint, event.kind, event.payload);
  }
}

async function deliverAndRecord(
  scope: OrgScope,
  fetch: SafeFetch,
  endpoint: WebhookEndpointsTable,
  kind: WebhookEvent,
  payload: unknown,
): Promise<WebhookView> {
  const delivery = await deliverWebhook(fetch, endpoint, kind, payload, new Date(scope.now()));
  await scope
    .updateTable('webhook_endpoints')
    .set({ last_delivery_at: scope.now(), last_delivery_status: delivery.status, last_error: delivery.error })
    .where('id', '=', endpoint.id)
    .execute();
  return presentWebhook({ ...endpoint, last_delivery_at: scope.now(), last_delivery_status: delivery.status, last_error: delivery.error });
}

export async function listMyNotifications(scope: OrgScope, page: { limit: number; before?: string | undefined }): Promise<NotificationsAnswer> {
  let query = scope.selectFrom('notifications').selectAll().where('user_id', '=', scope.actor.userId);
  if (page.before !== undefined) {
    const after = decodePageCursor(page.before);
    query = query.where((eb) => eb.or([eb('created_at', '<', after.key), eb.and([eb('created_at', '=', after.key), eb('id', '<', after.id)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  const { count } = await scope
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', scope.actor.userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    notifications: rows.map(presentNotification),
    nextCursor: nextCursorOf(rows, page.limit, (row) => ({ key: row.created_at, id: row.id })),
    unread: Number(count),
  };
}

export async function markNotificationsRead(scope: OrgScope, ids: string[] | 'all'): Promise<void> {
  let query = scope.updateTable('notifications').set({ read_at: scope.now() }).where('user_id', '=', scope.actor.userId).where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids.length ? ids : ['']);
  await query.execute();
}

export async function listWebhooks(scope: OrgScope): Promise<WebhookView[]> {
  return (await scope.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').execute()).map(presentWebhook);
}

/** Refused when saved, not only at delivery: a webhook to a private or metadata address is never stored. */
export async function addWebhook(
  scope: OrgScope,
  policy: AddressPolicy,
  input: { url: string; events: string[] },
): Promise<{ webhook: WebhookView; secret: string }> {
  const refused = await refusedDestination(input.url, policy, 'Webhooks');
  if (refused) throw new DomainError('address_not_allowed', refused, 400, { field: 'url' });
  const row = {
    id: newId(),
    url: input.url,
    secret: newSecret(),
    events: JSON.stringify(input.events),
    created_at: scope.now(),
    last_delivery_at: null,
    last_delivery_status: null,
    last_error: null,
  };
  // One transaction, answered from what was written: a stored webhook never answers 5xx (a retry would add it twice).
  await scope.transaction(async (tx) => {
    await tx.insertInto('webhook_endpoints', row);
    await tx.audit('webhook.added', { webhookId: row.id, url: row.url, events: input.events });
  });
  return { webhook: presentWebhook({ ...row, org_id: scope.orgId }), secret: row.secret };
}

export async function removeWebhook(scope: OrgScope, webhookId: string): Promise<void> {
  const result = await scope.deleteFrom('webhook_endpoints').where('id', '=', webhookId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new DomainError('webhook_not_found', 'Webhook not found', 404);
  await scope.audit('webhook.removed', { webhookId });
}

/** Sends a `webhook.test` event now, so an admin can check the receiver and its signature check. */
export async function testWebhook(scope: OrgScope, fetch: SafeFetch, webhookId: string): Promise<WebhookView> {
  const endpoint = await scope.selectFrom('webhook_endpoints').selectAll().where('id', '=', webhookId).executeTakeFirst();
  if (!endpoint) throw new DomainError('webhook_not_found', 'Webhook not found', 404);
  return deliverAndRecord(scope, fetch, endpoint, 'webhook.test', { message: 'Hello from Chorus' });
}

/** An in-app note for teammates (no webhook): assignments, mentions, new conversations, SLA warnings. */
export interface MemberNote {
  kind: string;
  title: string;
  body: string;
  link: string | null;
}

/** Rings each teammate's bell once; returns who was told, for the live unread count. */
export async function notifyMembers(scope: OrgScope, userIds: string[], note: MemberNote): Promise<string[]> {
  const unique = [...new Set(userIds)];
  const now = scope.now();
  await scope.insertInto(
    'notifications',
    unique.map((userId) => ({
      id: newId(),
      user_id: userId,
      kind: note.kind,
      title: note.title,
      body: note.body,
      link: note.link,
      created_at: now,
      read_at: null,
    })),
  );
  return unique;
}
