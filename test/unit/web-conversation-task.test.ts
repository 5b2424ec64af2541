import { describe, expect, it } from 'vitest';
import type { ConversationMessageView, ConversationView } from '../../web/src/api/inbox.js';
import { conversationTaskDraft } from '../../web/src/pages/inbox/conversation-task.js';

const conversation = (overrides: Partial<ConversationView> = {}): ConversationView => ({
  id: 'cv1',
  network: 'bluesky',
  channelAccountId: 'a1',
  author: { key: 'k', handle: 'carol.test', displayName: 'Carol', avatarUrl: null },
  status: 'open',
  assigneeUserId: null,
  tags: [],
  contactId: null,
  openedAt: '2026-01-01T00:00:00Z',
  lastMessageAt: '2026-01-01T00:00:00Z',
  lastInboundAt: '2026-01-01T00:00:00Z',
  preview: 'the preview',
  firstResponseAt: null,
  firstResponseMs: null,
  resolvedAt: null,
  resolutionMs: null,
  sla: { state: 'none', dueAt: null },
  ...overrides,
});

const message = (direction: 'inbound' | 'outbound', text: string): ConversationMessageView => ({
  id: text,
  direction,
  remoteId: null,
  itemId: null,
  authorUserId: null,
  authorHandle: 'carol.test',
  text,
  url: null,
  state: direction === 'inbound' ? 'received' : 'sent',
  error: null,
  liked: false,
  reposted: false,
  direct: false,
  createdAt: '2026-01-01T00:00:00Z',
});

describe('a task drafted from a conversation', () => {
  it("takes the newest message from the person, not the team's reply, on one line", () => {
    const draft = conversationTaskDraft(conversation(), [
      message('inbound', 'first'),
      message('inbound', 'call me\n  back please'),
      message('outbound', 'sure'),
    ]);
    expect(draft).toEqual({ handle: 'carol.test', name: 'Carol', text: 'call me back please' });
  });

  it('cuts a long text at a whole character and falls back to the handle and the preview', () => {
    const long = '予約'.repeat(60) + '😀';
    const draft = conversationTaskDraft(conversation({ author: { key: 'k', handle: 'dan.test', displayName: '', avatarUrl: null } }), [
      message('inbound', long),
    ]);
    expect([...draft.text]).toHaveLength(80);
    expect(draft.text.endsWith('…')).toBe(true);
    expect(draft.name).toBe('dan.test');
    expect(conversationTaskDraft(conversation(), []).text).toBe('the preview');
  });
});
