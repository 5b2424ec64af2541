import { Alert, Button, Group, Paper, Select, Stack, TagsInput, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_STATES, openIncident, type IncidentState } from '../../api/ops.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useRefreshStatus } from './admin-queries.js';

const OPEN_STATES = INCIDENT_STATES.filter((state) => state !== 'resolved');

/** Opens an incident on the public status page; components are suggested from what the probes watch. */
export function IncidentForm({ componentNames }: { componentNames: string[] }) {
  const { t } = useTranslation();
  const refresh = useRefreshStatus();
  const [title, setTitle] = useState('');
  const [message, setMessage] = useState('');
  const [components, setComponents] = useState<string[]>([]);
  const [state, setState] = useState<IncidentState>('investigating');
  const open = useMutation({
    mutationFn: () => openIncident({ title: title.trim(), message: message.trim(), components, state }),
    meta: { quiet: true },
    onSuccess: async () => {
      notifySuccess(t('admin.incidentOpened'));
      setTitle('');
      setMessage('');
      setComponents([]);
      setState('investigating');
      await refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} mb="sm">
        {t('admin.openIncident')}
      </Title>
      <form onSubmit={submit} data-testid="incident-form">
        <Stack gap="sm">
          <TextInput
            label={t('admin.incidentTitle')}
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            data-testid="incident-title"
          />
          <Textarea
            label={t('admin.message')}
            description={t('admin.messageHint')}
            required
            autosize
            minRows={2}
            maxLength={5000}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            data-testid="incident-message"
          />
          <Group grow align="flex-start">
            <TagsInput
              label={t('admin.components')}
              description={t('admin.componentsHint')}
              data={componentNames}
              value={components}
              onChange={setComponents}
              clearable
              data-testid="incident-components"
            />
            <Select
              label={t('admin.state')}
              data={OPEN_STATES.map((value) => ({ value, label: t(`admin.states.${value}`) }))}
              value={state}
              onChange={(value) => value && setState(value as IncidentState)}
              allowDeselect={false}
              data-testid="incident-initial-state"
            />
          </Group>
          {open.isError && (
            <Alert color="red" data-testid="incident-error">
              {describeError(open.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" color="red" loading={open.isPending} disabled={!title.trim() || !message.trim()} data-testid="incident-open">
              {t('admin.open')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
