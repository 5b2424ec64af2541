import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { deleteOrg, leaveOrg, renameOrg } from '../../api/orgs.js';
import { notifySuccess } from '../../app/errors.js';
import { can } from '../../app/permissions.js';
import { SESSION_KEY } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { ExportSection } from '../settings/ExportSection.js';
import { TwoFactorRequirement } from './TwoFactorRequirement.js';

/** Settings → Organization: rename, two-factor requirement and export (owners), leave, delete. */
export function OrganizationTab() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(org.name);
  const canRename = can(org.role, 'org.update');

  const rename = useMutation({
    mutationFn: () => renameOrg(org.id, name),
    onSuccess: async () => {
      notifySuccess(t('organization.renamed'));
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
  // Leaving or deleting takes the user out of this org: back to the next one they belong to.
  const goneFromOrg = async () => {
    queryClient.removeQueries({ queryKey: ['org', org.id] });
    await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    await navigate('/');
  };
  const leave = useMutation({ mutationFn: () => leaveOrg(org.id), onSuccess: goneFromOrg });
  const remove = useMutation({ mutationFn: () => deleteOrg(org.id), onSuccess: goneFromOrg });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate();
  };
  return (
    <Stack gap="lg" maw={720}>
      <Paper withBorder p="md" radius="md">
        <Title order={4} mb="sm">
          {t('organization.nameTitle')}
        </Title>
        <form onSubmit={submit} data-testid="rename-org-form">
          <Group align="flex-end" gap="sm">
            <TextInput label={t('fields.orgName')} value={name} onChange={(e) => setName(e.currentTarget.value)} required readOnly={!canRename} w={320} />
            {canRename && (
              <Button type="submit" loading={rename.isPending} disabled={name.trim() === org.name}>
                {t('common.save')}
              </Button>
            )}
          </Group>
          {!canRename && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('organization.renameNotAllowed')}
            </Text>
          )}
        </form>
      </Paper>

      <TwoFactorRequirement />

      <ExportSection />

      <Paper withBorder p="md" radius="md">
        <Title order={4} mb={4}>
          {t('organization.leaveTitle')}
        </Title>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" c="dimmed">
            {t('organization.leaveBody')}
          </Text>
          <ConfirmButton
            variant="light"
            question={t('organization.leaveQuestion', { org: org.name })}
            confirmLabel={t('organization.leave')}
            onConfirm={() => leave.mutate()}
            loading={leave.isPending}
            data-testid="leave-org"
          >
            {t('organization.leave')}
          </ConfirmButton>
        </Group>
      </Paper>

      {can(org.role, 'org.delete') && (
        <Paper withBorder p="md" radius="md" style={{ borderColor: 'var(--mantine-color-red-4)' }}>
          <Title order={4} mb={4} c="red">
            {t('organization.deleteTitle')}
          </Title>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" c="dimmed">
              {t('organization.deleteBody')}
            </Text>
            <ConfirmButton
              variant="filled"
              question={t('organization.deleteQuestion', { org: org.name })}
              confirmLabel={t('organization.delete')}
              onConfirm={() => remove.mutate()}
              loading={remove.isPending}
              data-testid="delete-org"
            >
              {t('organization.delete')}
            </ConfirmButton>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
