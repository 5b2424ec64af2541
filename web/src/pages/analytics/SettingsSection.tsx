import { Button, Group, Paper, Switch, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveAnalyticsSettings, type AnalyticsSettingsView } from '../../api/analytics.js';
import { notifyError, notifySuccess } from '../../app/errors.js';
import { TimeZoneSelect } from '../../components/TimeZoneSelect.js';
import { analyticsKey } from './analytics-queries.js';

/** Admins: shorten links by default, add UTM parameters, the reports' time zone. */
export function SettingsSection({ orgId, settings }: { orgId: string; settings: AnalyticsSettingsView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(settings);
  useEffect(() => setDraft(settings), [settings]);
  const save = useMutation({
    mutationFn: () => saveAnalyticsSettings(orgId, draft),
    onSuccess: () => {
      notifySuccess(t('analytics.settings.saved'));
      void queryClient.invalidateQueries({ queryKey: analyticsKey(orgId) });
    },
    onError: notifyError,
  });
  return (
    <Paper withBorder p="md" radius="md" className="analytics-no-print" data-testid="analytics-settings">
      <Title order={3} size="h4" mb="xs">
        {t('analytics.settings.title')}
      </Title>
      <Group align="flex-end" gap="lg">
        <Switch
          label={t('analytics.settings.shortenLinks')}
          checked={draft.shortenLinks}
          onChange={(e) => setDraft({ ...draft, shortenLinks: e.currentTarget.checked })}
          data-testid="settings-shorten"
        />
        <Switch
          label={t('analytics.settings.utm')}
          checked={draft.utmEnabled}
          onChange={(e) => setDraft({ ...draft, utmEnabled: e.currentTarget.checked })}
          data-testid="settings-utm"
        />
        <TimeZoneSelect
          label={t('analytics.settings.timeZone')}
          value={draft.timeZone}
          onChange={(timeZone) => setDraft({ ...draft, timeZone })}
          testId="settings-time-zone"
        />
        <Button size="xs" onClick={() => save.mutate()} loading={save.isPending} data-testid="settings-save">
          {t('analytics.settings.save')}
        </Button>
      </Group>
    </Paper>
  );
}
