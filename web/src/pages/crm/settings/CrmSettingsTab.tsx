import type { CrmSettingsView } from '@core/api/crm.js';
import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, notifySuccess } from '../../../app/errors.js';
import { can } from '../../../app/permissions.js';
import { useCurrentOrg } from '../../../shell/current-org.js';
import { useCrmSettings, useSaveCrmSettings } from '../pipeline/pipeline-queries.js';
import { changeOf, draftOf, type CrmSettingsDraft } from './crm-settings-draft.js';
import { CustomFieldsSection } from './CustomFieldsSection.js';
import { ScoringSection } from './ScoringSection.js';
import { StagesSection } from './StagesSection.js';

/** Settings → CRM: lifecycle stages, custom fields and lead-score rules; admins edit, others read. */
export function CrmSettingsTab() {
  const { org } = useCurrentOrg();
  const settings = useCrmSettings(org.id);
  if (settings.isPending) return <Loader size="sm" />;
  if (settings.isError) return <Alert color="red">{describeError(settings.error)}</Alert>;
  // Keyed by the saved settings: a save (or another admin's, on refetch) starts the form again from them.
  return <CrmSettingsForm key={JSON.stringify(settings.data)} saved={settings.data} />;
}

function CrmSettingsForm({ saved }: { saved: CrmSettingsView }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const editable = can(org.role, 'crm.settings');
  const save = useSaveCrmSettings(org.id);
  const [draft, setDraft] = useState<CrmSettingsDraft>(() => draftOf(saved));
  const change = changeOf(saved, draft);
  const changed = Object.keys(change).length > 0;
  const set = (part: Partial<CrmSettingsDraft>) => setDraft({ ...draft, ...part });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(change, { onSuccess: () => notifySuccess(t('crmSettings.saved')) });
  };
  return (
    <form onSubmit={submit} data-testid="crm-settings-form" aria-label={t('crmSettings.title')}>
      <Stack gap="lg" maw={720}>
        {!editable && (
          <Text size="sm" c="dimmed">
            {t('crmSettings.readOnly')}
          </Text>
        )}
        <StagesSection stages={draft.stages} editable={editable} onChange={(stages) => set({ stages })} />
        <CustomFieldsSection fields={draft.customFields} editable={editable} onChange={(customFields) => set({ customFields })} />
        <ScoringSection points={draft.points} editable={editable} onChange={(points) => set({ points })} />
        {save.isError && (
          <Alert color="red" role="alert" data-testid="crm-settings-error">
            {describeError(save.error)}
          </Alert>
        )}
        {editable && (
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!changed} data-testid="crm-settings-save">
              {t('common.save')}
            </Button>
            <Button variant="default" disabled={!changed} onClick={() => setDraft(draftOf(saved))}>
              {t('crmSettings.undo')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
