import { useTranslation } from 'react-i18next';
import type { ConversationMessageView, ConversationView } from '../../api/inbox.js';
import type { Member } from '../../api/types.js';
import { NewTaskModal } from '../crm/tasks/NewTaskModal.js';
import { conversationTaskDraft } from './conversation-task.js';

/** A task about the conversation, linked to it and to its contact; the title starts from what they wrote. */
export function ConversationTaskModal({
  conversation,
  messages,
  members,
  onClose,
}: {
  conversation: ConversationView;
  messages: ConversationMessageView[];
  members: Member[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const draft = conversationTaskDraft(conversation, messages);
  return (
    <NewTaskModal
      heading={t('inbox.task.title')}
      about={t(conversation.contactId ? 'inbox.task.aboutContact' : 'inbox.task.aboutAuthor', { name: draft.name, handle: draft.handle })}
      initialTitle={t('inbox.task.defaultTitle', { handle: draft.handle, text: draft.text })}
      links={{ conversationId: conversation.id, contactId: conversation.contactId }}
      members={members}
      onClose={onClose}
      testId="conversation-task"
    />
  );
}
