import type { ConversationMessageView, ConversationView } from '../../api/inbox.js';
import { taskTitleText } from '../crm/tasks/task-title.js';

/**
 * What a task made from a conversation starts as: who it is about, and the words of the newest
 * message from them on one line, cut to fit a title.
 */
export function conversationTaskDraft(conversation: ConversationView, messages: ConversationMessageView[]): { handle: string; name: string; text: string } {
  const latest = messages.filter((m) => m.direction === 'inbound').at(-1)?.text ?? conversation.preview;
  return {
    handle: conversation.author.handle,
    name: conversation.author.displayName || conversation.author.handle,
    text: taskTitleText(latest),
  };
}
