import { Button, Group, Modal, NumberInput, Select, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setInboxSettings, type InboxSettingsView } from '../../api/inbox.js';
import { notifyError, notifySuccess } from '../../app/errors.js';
import { useInboxSettings, useRefreshInbox } from './inbox-queries.js';

/** For admins: the response time target (SLA) and whether contacts are made automatically. */
export function InboxSettingsButton({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const settings = useInboxSettings(orgId);
  const refresh = useRefreshInbox(orgId);
  const [opened, setOpened] = useState(false);
  const [hours, setHours] = useState<number | string>('');
  const [autoContacts, setAutoContacts] = useState<InboxSettingsView['autoContacts']>('first_conversation');
  const open = () => {
    const current = settings.data;
    setHours(current?.slaMinutes ? current.slaMinutes / 60 : '');
    setAutoContacts(current?.autoContacts ?? 'first_conversation');
    setOpened(true);
  };
  const save = useMutation({
    mutationFn: () => setInboxSettings(orgId, { slaMinutes: typeof hours === 'number' && hours > 0 ? Math.round(hours * 60) : null, autoContacts }),
    onSuccess: () => {
      setOpened(false);
      notifySuccess(t('inbox.settings.saved'));
      void refresh();
    },
    onError: notifyError,
  });
  return (
    <>
      <Button size="xs" variant="default" onClick={open} data-testid="inbox-settings">
        {t('inbox.settings.button')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('inbox.settings.title')}>
        <Stack gap="sm">
          <NumberInput
            label={t('inbox.settings.sla')}
            description={t('inbox.settings.slaHint')}
            min={0}
            max={720}
            step={0.5}
            decimalScale={2}
            value={hours}
            onChange={setHours}
            data-testid="inbox-settings-sla"
          />
          <Select
            label={t('inbox.settings.autoContacts')}
            data={[
              { value: 'first_conversation', label: t('inbox.settings.autoFirst') },
              { value: 'manual', label: t('inbox.settings.autoManual') },
            ]}
            value={autoContacts}
            onChange={(value) => value && setAutoContacts(value as InboxSettingsView['autoContacts'])}
            allowDeselect={false}
          />
          <Group justify="flex-end">
            <Button size="xs" onClick={() => save.mutate()} loading={save.isPending} data-testid="inbox-settings-save">
              {t('inbox.settings.save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
