import type { Network } from '../channels/connector.js';

export const CONVERSATION_STATUSES = ['open', 'pending', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** One person talking to the org on one network, threaded by the network's reply chain. */
export interface ConversationsTable {
  id: string;
  org_id: string;
  network: Network;
  /** The connected account that received it, and that replies go out through. */
  channel_account_id: string | null;
  /** channels/author-key.ts: the person, as stream items and contact identities name them. */
  author_key: string;
  author_handle: string;
  author_display_name: string;
  author_avatar_url: string | null;
  status: ConversationStatus;
  assignee_user_id: string | null;
  /** JSON array of lowercased tags. */
  tags: string;
  /** The CRM contact of the author, once made or linked. */
  contact_id: string | null;
  /**
   * The remote id (on this network) of the post the opening message answered, if it was a reply:
   * a published post of a campaign ties the conversation to that campaign (post-replies.ts).
   */
  opened_in_reply_to: string | null;
  opened_at: string;
  /** The newest inbound message: what "waiting for us" is measured from. */
  last_inbound_at: string;
  last_message_at: string;
  first_response_at: string | null;
  /** When it was last closed; cleared when it opens again. */
  resolved_at: string | null;
  /** Set once an SLA warning went out, so it goes out once. */
  sla_warned_at: string | null;
  updated_at: string;
}

/** A message of a conversation: an inbound stream item, or a reply sent from the inbox. */
export interface ConversationMessagesTable {
  id: string;
  org_id: string;
  conversation_id: string;
  network: Network;
  direction: 'inbound' | 'outbound';
  /** The post on its network; null while an outbound reply is being sent. */
  remote_id: string | null;
  /** The stored stream item (inbound); not a foreign key, since retention prunes items. */
  item_id: string | null;
  /** Outbound: the teammate who wrote it. */
  author_user_id: string | null;
  author_handle: string;
  text: string;
  url: string | null;
  /** received (inbound), sending, sent, failed (outbound). */
  state: 'received' | 'sending' | 'sent' | 'failed';
  error: string | null;
  /**
   * Written 0 and no longer read: since migration 0902 a like or repost lives on the message's
   * stream item (streams' item_reactions). Kept so archives exported before it still import.
   */
  liked: number;
  reposted: number;
  created_at: string;
}

export interface InboxSettingsTable {
  org_id: string;
  /** First response expected within this many minutes; null: no SLA. */
  sla_minutes: number | null;
  /** 'first_conversation': a contact is made for each new author; 'manual': only by hand. */
  auto_contacts: 'first_conversation' | 'manual';
}

/** A member's saved inbox filter; `notify` rings their bell when a new conversation matches it. */
export interface InboxViewsTable {
  id: string;
  org_id: string;
  owner_user_id: string;
  name: string;
  /** JSON of ConversationFilters (core/api/inbox.ts). */
  filters: string;
  notify: number;
  created_at: string;
}

export interface InboxTables {
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
  inbox_settings: InboxSettingsTable;
  inbox_views: InboxViewsTable;
}
