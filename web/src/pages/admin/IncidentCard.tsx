import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, Textarea, Timeline } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_STATES, postIncidentUpdate, type Incident, type IncidentState } from '../../api/ops.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useFormatDate } from '../../components/format.js';
import { useRefreshStatus } from './admin-queries.js';
import { IncidentStateBadge } from './incident-state.js';

/** One incident with its updates (newest first) and, while open, the next update; "resolved" closes it. */
export function IncidentCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <Paper withBorder p="md" radius="md" data-testid="incident" data-incident-id={incident.id} data-state={incident.state}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="incident-title-text">
            {incident.title}
          </Text>
          <Text size="xs" c="dimmed">
            {t('admin.openedAt', { when: formatDate(incident.createdAt) })}
            {incident.resolvedAt ? ` · ${t('admin.resolvedAt', { when: formatDate(incident.resolvedAt) })}` : ''}
          </Text>
        </div>
        <IncidentStateBadge state={incident.state} />
      </Group>
      {incident.components.length > 0 && (
        <Group gap={4} mt={6}>
          {incident.components.map((component) => (
            <Badge key={component} variant="outline" color="gray" size="sm" tt="none">
              {component}
            </Badge>
          ))}
        </Group>
      )}
      <Timeline mt="sm" bulletSize={12} lineWidth={2} active={incident.updates.length}>
        {incident.updates.map((update) => (
          <Timeline.Item key={update.at + update.state} title={<IncidentStateBadge state={update.state} />} data-testid="incident-update">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {update.message}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDate(update.at)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
      {!incident.resolvedAt && <UpdateForm incident={incident} />}
    </Paper>
  );
}

function UpdateForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const refresh = useRefreshStatus();
  const [state, setState] = useState<IncidentState>(incident.state);
  const [message, setMessage] = useState('');
  const post = useMutation({
    mutationFn: () => postIncidentUpdate(incident.id, { state, message: message.trim() }),
    meta: { quiet: true },
    onSuccess: async () => {
      notifySuccess(state === 'resolved' ? t('admin.incidentResolved') : t('admin.updatePosted'));
      setMessage('');
      await refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    post.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="incident-update-form">
      <Stack gap="xs" mt="sm">
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <Select
            label={t('admin.newState')}
            data={INCIDENT_STATES.map((value) => ({ value, label: t(`admin.states.${value}`) }))}
            value={state}
            onChange={(value) => value && setState(value as IncidentState)}
            allowDeselect={false}
            w={170}
            data-testid="update-state"
          />
          <Textarea
            label={t('admin.update')}
            placeholder={t('admin.updateHint')}
            autosize
            minRows={1}
            maxLength={5000}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            style={{ flex: 1 }}
            data-testid="update-message"
          />
          <Button
            type="submit"
            variant={state === 'resolved' ? 'filled' : 'light'}
            color={state === 'resolved' ? 'teal' : 'blue'}
            loading={post.isPending}
            disabled={!message.trim()}
            data-testid="update-post"
          >
            {state === 'resolved' ? t('admin.resolve') : t('admin.postUpdate')}
          </Button>
        </Group>
        {post.isError && (
          <Alert color="red" data-testid="update-error">
            {describeError(post.error)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
