/**
 * The fixed word lists of the API: plain constants without zod, so the web app can use them at
 * run time (pickers, filters) without shipping the schema library; core/api/*.ts build their
 * enums from them.
 */

/** Org roles, strongest first; what each may do is src/teams/policies.ts. */
export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Languages of the app and of mail. */
export const LOCALES = ['en', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];

/** Status page incidents; "resolved" closes one. */
export const INCIDENT_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** What an org's webhooks can subscribe to. */
export const WEBHOOK_EVENTS = ['post.target_failed', 'post.rejected', 'webhook.test'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
