import type { ConversationMessageView, ConversationView } from '../../api/inbox.js';

const TEXT_IN_TITLE = 80;

/**
 * What a task made from a conversation starts as: who it is about, and the words of the newest
 * message from them on one line, cut at a whole character (a task title is at most 500).
 */
export function conversationTaskDraft(conversation: ConversationView, messages: ConversationMessageView[]): { handle: string; name: string; text: string } {
  const latest = messages.filter((m) => m.direction === 'inbound').at(-1)?.text ?? conversation.preview;
  const line = latest.replace(/\s+/g, ' ').trim();
  const characters = [...line];
  return {
    handle: conversation.author.handle,
    name: conversation.author.displayName || conversation.author.handle,
    text: characters.length > TEXT_IN_TITLE ? `${characters.slice(0, TEXT_IN_TITLE - 1).join('')}…` : line,
  };
}
