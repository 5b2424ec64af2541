import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createTask, type TaskLinks } from '../../../api/crm-pipeline.js';
import { describeError, notifySuccess } from '../../../app/errors.js';
import { useIntentMutation } from '../../../app/intent-mutation.js';
import { useCurrentOrg } from '../../../shell/current-org.js';
import { tasksKey } from '../pipeline/pipeline-queries.js';
import { localInputToIso } from './ContactTasks.js';

/**
 * A task made from something the member is looking at (a conversation, a stream item, a team
 * post): linked to it, assigned to the member unless they pick someone else.
 */
export function NewTaskModal({
  heading,
  about,
  initialTitle,
  links,
  members,
  onClose,
  testId,
}: {
  heading: string;
  /** One line saying what the task will be linked to. */
  about: string;
  initialTitle: string;
  links: TaskLinks;
  members: { userId: string; name: string }[];
  onClose: () => void;
  /** Prefix of the test ids of the modal and its fields. */
  testId: string;
}) {
  const { t } = useTranslation();
  const { org, session } = useCurrentOrg();
  const client = useQueryClient();
  const [title, setTitle] = useState(initialTitle);
  const [due, setDue] = useState('');
  const [assignee, setAssignee] = useState<string | null>(session.user.id);
  const create = useIntentMutation({
    mutationFn: (input: { title: string; dueAt: string | null; assigneeUserId: string | null }, intent) =>
      createTask(org.id, { ...input, ...links }, intent.key()),
    onSuccess: async () => {
      notifySuccess(t('tasks.created'));
      await client.invalidateQueries({ queryKey: tasksKey(org.id) });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) create.mutate({ title: title.trim(), dueAt: localInputToIso(due), assigneeUserId: assignee });
  };
  return (
    <Modal opened onClose={onClose} title={heading} data-testid={`${testId}-modal`}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed" data-testid={`${testId}-about`}>
            {about}
          </Text>
          <TextInput
            label={t('tasks.newTitle')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            maxLength={500}
            data-autofocus
            data-testid={`${testId}-title`}
          />
          <Group grow>
            <TextInput type="datetime-local" label={t('tasks.due')} value={due} onChange={(e) => setDue(e.currentTarget.value)} data-testid={`${testId}-due`} />
            <Select
              label={t('tasks.assignee')}
              data={members.map((m) => ({ value: m.userId, label: m.name }))}
              value={assignee}
              onChange={setAssignee}
              clearable
              data-testid={`${testId}-assignee`}
            />
          </Group>
          {create.isError && (
            <Alert color="red" variant="light">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" size="xs" onClick={onClose}>
              {t('tasks.cancel')}
            </Button>
            <Button type="submit" size="xs" loading={create.isPending} disabled={!title.trim()} data-testid={`${testId}-create`}>
              {t('tasks.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
