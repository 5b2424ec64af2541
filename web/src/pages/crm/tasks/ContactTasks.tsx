import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { createTask, editTask, type TaskView } from '../../../api/crm-pipeline.js';
import { describeError } from '../../../app/errors.js';
import { conversationPath } from '../../../app/paths.js';
import { useIntentMutation } from '../../../app/intent-mutation.js';
import { useFormatDate } from '../../../components/format.js';
import { useCurrentOrg } from '../../../shell/current-org.js';
import { useContactRights } from '../contact-queries.js';
import { tasksKey, useMembers, useTasks } from '../pipeline/pipeline-queries.js';

/** A `datetime-local` value (the member's local time) as UTC ISO text, or null when empty. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Open tasks about the contact: add one (due time, assignee), mark one done. */
export function ContactTasks({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const rights = useContactRights();
  const tasks = useTasks(org.id, { contactId, status: 'open' });
  return (
    <Paper withBorder radius="md" p="md" data-testid="contact-tasks">
      <Title order={5} mb="xs">
        {t('tasks.title')}
      </Title>
      {rights.write && <AddTaskForm contactId={contactId} />}
      {tasks.isError && (
        <Alert color="red" variant="light" mt="xs">
          {describeError(tasks.error)}
        </Alert>
      )}
      {tasks.data && tasks.data.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('tasks.none')}
        </Text>
      )}
      <Stack gap="xs" mt="xs">
        {tasks.data?.map((task) => (
          <TaskRow key={task.id} task={task} canEdit={rights.write} />
        ))}
      </Stack>
    </Paper>
  );
}

function AddTaskForm({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { org, session } = useCurrentOrg();
  const client = useQueryClient();
  const members = useMembers(org.id);
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const [assignee, setAssignee] = useState<string | null>(session.user.id);
  const add = useIntentMutation({
    mutationFn: (input: { title: string; dueAt: string | null; assigneeUserId: string | null }, intent) =>
      createTask(org.id, { ...input, contactId }, intent.key()),
    onSuccess: async () => {
      setTitle('');
      setDue('');
      await client.invalidateQueries({ queryKey: tasksKey(org.id) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) add.mutate({ title: title.trim(), dueAt: localInputToIso(due), assigneeUserId: assignee });
  };
  return (
    <form onSubmit={submit} data-testid="add-task-form">
      <Stack gap="xs">
        <TextInput label={t('tasks.newTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={500} data-testid="task-title" />
        <Group grow>
          <TextInput type="datetime-local" label={t('tasks.due')} value={due} onChange={(e) => setDue(e.currentTarget.value)} data-testid="task-due" />
          <Select
            label={t('tasks.assignee')}
            data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
            value={assignee}
            onChange={setAssignee}
            clearable
            data-testid="task-assignee"
          />
        </Group>
        <Group>
          <Button type="submit" size="xs" loading={add.isPending} disabled={!title.trim()} data-testid="task-add">
            {t('tasks.add')}
          </Button>
        </Group>
        {add.isError && (
          <Alert color="red" variant="light">
            {describeError(add.error)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** One task: done checkbox, title, due time (red when overdue), assignee, and the contact when asked. */
export function TaskRow({ task, canEdit, showContact = false }: { task: TaskView; canEdit: boolean; showContact?: boolean }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const format = useFormatDate();
  const done = useMutation({
    mutationFn: (value: boolean) => editTask(org.id, task.id, { done: value }),
    onSuccess: () => client.invalidateQueries({ queryKey: tasksKey(org.id) }),
  });
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="task-row" data-task-id={task.id} data-overdue={task.overdue ? 'true' : 'false'}>
      <Checkbox
        aria-label={t('tasks.markDone', { title: task.title })}
        checked={task.done}
        disabled={!canEdit || done.isPending}
        onChange={(e) => done.mutate(e.currentTarget.checked)}
        data-testid="task-done"
      />
      <Stack gap={0} style={{ flex: 1 }}>
        <Text size="sm" td={task.done ? 'line-through' : undefined}>
          {task.title}
        </Text>
        <Group gap="xs">
          {task.dueAt && (
            <Text size="xs" c={task.overdue ? 'red.8' : 'dimmed'} fw={task.overdue ? 700 : undefined}>
              {t('tasks.dueAt', { when: format(task.dueAt) })}
            </Text>
          )}
          {task.overdue && (
            <Badge color="red" size="xs" variant="light">
              {t('tasks.overdue')}
            </Badge>
          )}
          {task.assigneeName && (
            <Text size="xs" c="dimmed">
              {task.assigneeName}
            </Text>
          )}
          {showContact && task.contactName && (
            <Text size="xs" c="dimmed">
              {task.contactName}
            </Text>
          )}
          {task.conversationId && (
            <Anchor component={Link} to={conversationPath(org.id, task.conversationId)} size="xs" data-testid="task-conversation">
              {t('tasks.openConversation')}
            </Anchor>
          )}
          {/* Stream items and team posts have no page of their own: an item links to its network's, a team post says where it came from. */}
          {task.itemId &&
            (task.itemUrl ? (
              <Anchor href={task.itemUrl} target="_blank" rel="noopener noreferrer" size="xs" data-testid="task-source" data-source="item">
                {t('tasks.sourceItem')}
              </Anchor>
            ) : (
              <Text size="xs" c="dimmed" data-testid="task-source" data-source="item">
                {t('tasks.sourceItem')}
              </Text>
            ))}
          {task.teamPostId && (
            <Text size="xs" c="dimmed" data-testid="task-source" data-source="team-post">
              {t('tasks.sourceTeamPost')}
            </Text>
          )}
        </Group>
      </Stack>
    </Group>
  );
}
