import type {
  ConversationDetail,
  ConversationFilters,
  ConversationMessageView,
  ConversationPage,
  ConversationStatus,
  ConversationView,
  InboxSettingsView,
  InboxViewView,
  PresenceState,
} from '@core/api/inbox.js';
import { request, segment } from './client.js';

export type {
  ConversationDetail,
  ConversationFilters,
  ConversationMessageView,
  ConversationPage,
  ConversationStatus,
  ConversationView,
  InboxSettingsView,
  InboxViewView,
  PresenceSignal,
  PresenceState,
} from '@core/api/inbox.js';

const org = (orgId: string) => `/api/orgs/${segment(orgId)}`;
const conversation = (orgId: string, conversationId: string) => `${org(orgId)}/conversations/${segment(conversationId)}`;

/** The list's filters: a saved view's, and a campaign (conversations its posts' replies opened; not saved in views). */
export type ConversationListFilters = ConversationFilters & { campaignId?: string };

export function listConversations(orgId: string, filters: ConversationListFilters, page: { before: string | null; limit: number }): Promise<ConversationPage> {
  const query = new URLSearchParams({ limit: String(page.limit) });
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, String(value));
  if (page.before) query.set('before', page.before);
  return request('GET', `${org(orgId)}/conversations?${query}`);
}

export const getConversation = (orgId: string, conversationId: string) => request<ConversationDetail>('GET', conversation(orgId, conversationId));

export const changeConversation = (
  orgId: string,
  conversationId: string,
  change: { status?: ConversationStatus; assigneeUserId?: string | null; tags?: string[] },
) => request<{ conversation: ConversationView }>('PATCH', conversation(orgId, conversationId), change).then((r) => r.conversation);

export const replyToConversation = (orgId: string, conversationId: string, input: { text: string; confirm?: boolean }, idempotencyKey: string) =>
  request<{ conversation: ConversationView; message: ConversationMessageView }>('POST', `${conversation(orgId, conversationId)}/replies`, input, {
    idempotencyKey,
  });

export const actOnMessage = (orgId: string, conversationId: string, messageId: string, action: 'like' | 'repost') =>
  request<{ message: ConversationMessageView }>('POST', `${conversation(orgId, conversationId)}/messages/${segment(messageId)}/actions`, { action }).then(
    (r) => r.message,
  );

export const linkConversationContact = (orgId: string, conversationId: string) =>
  request<{ conversation: ConversationView }>('POST', `${conversation(orgId, conversationId)}/contact`).then((r) => r.conversation);

export const sendPresence = (orgId: string, conversationId: string, state: PresenceState) =>
  request<void>('POST', `${conversation(orgId, conversationId)}/presence`, { state });

export const getInboxSettings = (orgId: string) => request<InboxSettingsView>('GET', `${org(orgId)}/inbox/settings`);
export const setInboxSettings = (orgId: string, settings: Partial<InboxSettingsView>) =>
  request<InboxSettingsView>('PATCH', `${org(orgId)}/inbox/settings`, settings);

export const listInboxViews = (orgId: string) => request<{ views: InboxViewView[] }>('GET', `${org(orgId)}/inbox/views`).then((r) => r.views);
export const saveInboxView = (orgId: string, input: { name: string; filters: ConversationFilters; notify: boolean }, idempotencyKey: string) =>
  request<{ view: InboxViewView }>('POST', `${org(orgId)}/inbox/views`, input, { idempotencyKey }).then((r) => r.view);
export const deleteInboxView = (orgId: string, viewId: string) => request<void>('DELETE', `${org(orgId)}/inbox/views/${segment(viewId)}`);

export const inboxEventsUrl = (orgId: string) => `${org(orgId)}/inbox/events`;
