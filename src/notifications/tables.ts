export interface NotificationsTable {
  id: string;
  org_id: string;
  /** Who should see it. */
  user_id: string;
  kind: string;
  title: string;
  body: string;
  /** In-app path to open (e.g. /orgs/<org>/publish?post=<id>). */
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  /** HMAC-SHA256 key for the X-Chorus-Signature header; shown once when created. */
  secret: string;
  /** JSON array of event names, e.g. ["post.target_failed"]. */
  events: string;
  created_at: string;
  last_delivery_at: string | null;
  last_delivery_status: number | null;
  last_error: string | null;
}

export interface NotificationsTables {
  notifications: NotificationsTable;
  webhook_endpoints: WebhookEndpointsTable;
}
