/**
 * What Meta delivered to a Page's webhook, stored before the 200 is sent (Meta stops
 * redelivering once it gets a 200). Unique per channel and event key (the comment id and verb),
 * so a redelivery is the same row.
 */
export interface MetaWebhookEventsTable {
  id: string;
  org_id: string;
  channel_id: string;
  /** `<field>:<item>:<verb>:<id>`: what makes a delivery the same event. */
  event_key: string;
  /** feed (comments, posts) or messages. */
  field: string;
  /** The comment (or post) id the event is about. */
  object_id: string;
  /** The post a comment is on, and the comment it answers, when Meta says. */
  post_id: string | null;
  parent_id: string | null;
  from_id: string | null;
  from_name: string | null;
  text: string;
  occurred_at: string;
  received_at: string;
}

export interface MetaTables {
  meta_webhook_events: MetaWebhookEventsTable;
}
