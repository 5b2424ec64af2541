import { useTranslation } from 'react-i18next';
import type { Member } from '../../api/types.js';
import { NewTaskModal } from '../crm/tasks/NewTaskModal.js';
import { taskTitleText } from '../crm/tasks/task-title.js';
import type { StreamItem } from '../../api/streams.js';

/** A task about a stream item, linked to it and, when its author is a known contact, to them. */
export function ItemTaskModal({ item, contactId, members, onClose }: { item: StreamItem; contactId: string | null; members: Member[]; onClose: () => void }) {
  const { t } = useTranslation();
  const name = item.author.displayName || item.author.handle;
  return (
    <NewTaskModal
      heading={t('tasks.fromItem.title')}
      about={t(contactId ? 'tasks.fromItem.aboutContact' : 'tasks.fromItem.aboutAuthor', { name, handle: item.author.handle })}
      initialTitle={taskTitleText(item.title || item.text)}
      links={{ itemId: item.id, contactId }}
      members={members}
      onClose={onClose}
      testId="item-task"
    />
  );
}
