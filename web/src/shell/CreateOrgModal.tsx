import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { createOrg } from '../api/orgs.js';
import { useIntentMutation } from '../app/intent-mutation.js';
import { orgPath } from '../app/paths.js';
import { SESSION_KEY } from '../app/session.js';

/** Creates an organization (the user becomes its owner) and switches to it. */
export function CreateOrgModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const create = useIntentMutation({
    mutationFn: (_: void, intent) => createOrg(name, intent.key()),
    onSuccess: async ({ org }) => {
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      setName('');
      onClose();
      await navigate(orgPath(org.id, 'streams'));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('orgs.createTitle')}>
      <form onSubmit={submit} data-testid="create-org-form">
        <Stack gap="sm">
          <TextInput label={t('fields.orgName')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('orgs.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
