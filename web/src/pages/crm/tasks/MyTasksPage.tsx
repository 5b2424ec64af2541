import { Alert, Loader, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../app/errors.js';
import { useCurrentOrg } from '../../../shell/current-org.js';
import { useContactRights } from '../contact-queries.js';
import { useTasks } from '../pipeline/pipeline-queries.js';
import { TaskRow } from './ContactTasks.js';

/** The member's own tasks, open ones by due time; overdue ones stand out in red. */
export function MyTasksPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const rights = useContactRights();
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const tasks = useTasks(org.id, { mine: true, status });
  return (
    <Stack gap="md" data-testid="page-tasks">
      <Title order={2}>{t('tasks.mine')}</Title>
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v === 'done' ? 'done' : 'open')}
        data={[
          { value: 'open', label: t('tasks.open') },
          { value: 'done', label: t('tasks.done') },
        ]}
      />
      <Paper withBorder radius="md" p="md">
        {tasks.isPending ? (
          <Loader size="sm" />
        ) : tasks.isError ? (
          <Alert color="red" variant="light">
            {describeError(tasks.error)}
          </Alert>
        ) : tasks.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('tasks.none')}
          </Text>
        ) : (
          <Stack gap="sm">
            {tasks.data.map((task) => (
              <TaskRow key={task.id} task={task} canEdit={rights.write} showContact />
            ))}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}
