/**
 * What LINE delivered to a channel's webhook, stored before the 200 is sent (LINE stops
 * redelivering once it gets a 200, so an event answered but not stored would be lost).
 * Unique per channel and webhookEventId: a redelivery is the same row.
 */
export interface LineInboundEventsTable {
  id: string;
  org_id: string;
  channel_id: string;
  webhook_event_id: string;
  /** message, follow, unfollow, postback, …: LINE's event type. */
  event_type: string;
  /** The LINE user the event is from (1:1 chats); null for group and room events without one. */
  user_id: string | null;
  message_id: string | null;
  message_type: string | null;
  text: string;
  occurred_at: string;
  received_at: string;
}

export interface LineTables {
  line_inbound_events: LineInboundEventsTable;
}
