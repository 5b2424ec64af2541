/**
 * The Inbox API's shapes (/api/orgs/:orgId/conversations and /inbox/*): response schemas the
 * routes declare, and the filters the server and the web both read.
 */
import { z } from 'zod';
import { Network } from './channels.js';

export const ConversationStatus = z.enum(['open', 'pending', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** How the first response stands against the org's SLA. */
export const SlaState = z.enum(['none', 'met', 'ok', 'at_risk', 'breached']);
export type SlaState = z.infer<typeof SlaState>;

/** What a saved view (or the list's query) narrows conversations to. */
export const ConversationFilters = z.strictObject({
  status: ConversationStatus.optional(),
  /** 'me': assigned to the caller; 'unassigned'; or a member's user id. */
  assignee: z.string().min(1).max(100).optional(),
  network: Network.optional(),
  channelAccountId: z.string().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
});
export type ConversationFilters = z.infer<typeof ConversationFilters>;

export const ConversationView = z.object({
  id: z.string(),
  network: Network,
  channelAccountId: z.string().nullable(),
  author: z.object({ key: z.string(), handle: z.string(), displayName: z.string(), avatarUrl: z.string().nullable() }),
  status: ConversationStatus,
  assigneeUserId: z.string().nullable(),
  tags: z.array(z.string()),
  contactId: z.string().nullable(),
  openedAt: z.string(),
  lastMessageAt: z.string(),
  lastInboundAt: z.string(),
  /** The newest message's text, for the list. */
  preview: z.string(),
  firstResponseAt: z.string().nullable(),
  /** Milliseconds from opening to the first reply; null until answered. */
  firstResponseMs: z.number().nullable(),
  resolvedAt: z.string().nullable(),
  /** Milliseconds from opening to closing; null while not closed. */
  resolutionMs: z.number().nullable(),
  sla: z.object({ state: SlaState, dueAt: z.string().nullable() }),
});
export type ConversationView = z.infer<typeof ConversationView>;

export const ConversationMessageView = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  remoteId: z.string().nullable(),
  itemId: z.string().nullable(),
  authorUserId: z.string().nullable(),
  authorHandle: z.string(),
  text: z.string(),
  url: z.string().nullable(),
  state: z.enum(['received', 'sending', 'sent', 'failed']),
  error: z.string().nullable(),
  liked: z.boolean(),
  reposted: z.boolean(),
  /** Its stream item came privately (a chat message, a direct status): likes and reposts follow the network's `direct` rules. */
  direct: z.boolean(),
  createdAt: z.string(),
});
export type ConversationMessageView = z.infer<typeof ConversationMessageView>;

export const ConversationPage = z.object({ conversations: z.array(ConversationView), nextCursor: z.string().nullable() });
export type ConversationPage = z.infer<typeof ConversationPage>;

export const ConversationDetail = z.object({ conversation: ConversationView, messages: z.array(ConversationMessageView) });
export type ConversationDetail = z.infer<typeof ConversationDetail>;

export const ConversationAnswer = z.object({ conversation: ConversationView });

export const ReplyAnswer = z.object({ conversation: ConversationView, message: ConversationMessageView });

export const InboxSettingsView = z.object({ slaMinutes: z.number().nullable(), autoContacts: z.enum(['first_conversation', 'manual']) });
export type InboxSettingsView = z.infer<typeof InboxSettingsView>;

export const InboxViewView = z.object({ id: z.string(), name: z.string(), filters: ConversationFilters, notify: z.boolean(), createdAt: z.string() });
export type InboxViewView = z.infer<typeof InboxViewView>;

export const InboxViewList = z.object({ views: z.array(InboxViewView) });

/** Who else is on a conversation right now (sent over the inbox's live events). */
export const PresenceState = z.enum(['viewing', 'replying', 'away']);
export type PresenceState = z.infer<typeof PresenceState>;

export const PresenceSignal = z.object({ conversationId: z.string(), userId: z.string(), name: z.string(), state: PresenceState, at: z.string() });
export type PresenceSignal = z.infer<typeof PresenceSignal>;
