import { Alert, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { mergeContacts, type Contact } from '../../api/contacts.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { contactPath } from '../../app/paths.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useContacts, useRefreshContacts } from './contact-queries.js';

/** Picks another contact (by search) to fold into this one: its identities, notes and tags move here and it is deleted. */
export function MergeContactModal({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const navigate = useNavigate();
  const refresh = useRefreshContacts(org.id);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [otherId, setOtherId] = useState<string | null>(null);
  const candidates = useContacts(org.id, { q });
  const found = (candidates.data?.pages[0]?.contacts ?? []).filter((c) => c.id !== contact.id);
  // The picked one stays listed while the search moves on, so the Select keeps showing its name.
  const [picked, setPicked] = useState<Contact | null>(null);
  const options = [...(picked && !found.some((c) => c.id === picked.id) ? [picked] : []), ...found];
  const merge = useMutation({
    meta: { quiet: true },
    mutationFn: (other: string) => mergeContacts(org.id, contact.id, other),
    onSuccess: async ({ contact: merged }) => {
      notifySuccess(t('contacts.merge.done', { name: merged.displayName }));
      onClose();
      await refresh({ timelines: true });
      await navigate(contactPath(org.id, merged.id));
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('contacts.merge.title', { name: contact.displayName })}>
      <Stack gap="sm" data-testid="merge-contact-form">
        <Text size="sm" c="dimmed">
          {t('contacts.merge.intro', { name: contact.displayName })}
        </Text>
        <Select
          label={t('contacts.merge.other')}
          placeholder={t('contacts.searchPlaceholder')}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          // The server has searched already: the Select shows what it found as it is.
          filter={({ options }) => options}
          data={options.map((c) => ({ value: c.id, label: c.company ? `${c.displayName} · ${c.company}` : c.displayName }))}
          value={otherId}
          onChange={(value) => {
            setOtherId(value);
            setPicked(options.find((c) => c.id === value) ?? null);
          }}
          nothingFoundMessage={candidates.isFetching ? t('contacts.merge.searching') : t('contacts.noneFound')}
          comboboxProps={{ withinPortal: false }}
          data-testid="merge-other"
        />
        {merge.isError && (
          <Alert color="red" variant="light" p="xs">
            {describeError(merge.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <ConfirmButton
            variant="filled"
            disabled={!picked}
            loading={merge.isPending}
            question={t('contacts.merge.question', { other: picked?.displayName ?? '', name: contact.displayName })}
            confirmLabel={t('contacts.merge.confirm')}
            onConfirm={() => picked && merge.mutate(picked.id)}
            data-testid="merge-confirm"
          >
            {t('contacts.merge.confirm')}
          </ConfirmButton>
        </Group>
      </Stack>
    </Modal>
  );
}
