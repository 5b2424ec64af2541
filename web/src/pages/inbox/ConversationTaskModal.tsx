import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createTask } from '../../api/crm-pipeline.js';
import type { ConversationMessageView, ConversationView } from '../../api/inbox.js';
import type { Member } from '../../api/types.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { tasksKey } from '../crm/pipeline/pipeline-queries.js';
import { localInputToIso } from '../crm/tasks/ContactTasks.js';
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
  const { org, session } = useCurrentOrg();
  const client = useQueryClient();
  const draft = conversationTaskDraft(conversation, messages);
  const [title, setTitle] = useState(() => t('inbox.task.defaultTitle', { handle: draft.handle, text: draft.text }));
  const [due, setDue] = useState('');
  const [assignee, setAssignee] = useState<string | null>(session.user.id);
  const create = useIntentMutation({
    mutationFn: (input: { title: string; dueAt: string | null; assigneeUserId: string | null }, intent) =>
      createTask(org.id, { ...input, conversationId: conversation.id, contactId: conversation.contactId }, intent.key()),
    onSuccess: async () => {
      notifySuccess(t('inbox.task.created'));
      await client.invalidateQueries({ queryKey: tasksKey(org.id) });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) create.mutate({ title: title.trim(), dueAt: localInputToIso(due), assigneeUserId: assignee });
  };
  return (
    <Modal opened onClose={onClose} title={t('inbox.task.title')} data-testid="conversation-task-modal">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed" data-testid="conversation-task-about">
            {t(conversation.contactId ? 'inbox.task.aboutContact' : 'inbox.task.aboutAuthor', { name: draft.name, handle: draft.handle })}
          </Text>
          <TextInput
            label={t('tasks.newTitle')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            maxLength={500}
            data-autofocus
            data-testid="conversation-task-title"
          />
          <Group grow>
            <TextInput
              type="datetime-local"
              label={t('tasks.due')}
              value={due}
              onChange={(e) => setDue(e.currentTarget.value)}
              data-testid="conversation-task-due"
            />
            <Select
              label={t('tasks.assignee')}
              data={members.map((m) => ({ value: m.userId, label: m.name }))}
              value={assignee}
              onChange={setAssignee}
              clearable
              data-testid="conversation-task-assignee"
            />
          </Group>
          {create.isError && (
            <Alert color="red" variant="light">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" size="xs" onClick={onClose}>
              {t('inbox.task.cancel')}
            </Button>
            <Button type="submit" size="xs" loading={create.isPending} disabled={!title.trim()} data-testid="conversation-task-create">
              {t('tasks.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
