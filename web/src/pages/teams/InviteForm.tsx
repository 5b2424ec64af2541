import { Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createInvitation } from '../../api/orgs.js';
import { ROLES, type Role } from '../../api/types.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { canAssignRole } from '../../app/permissions.js';
import { SecretField } from '../../components/SecretField.js';
import { rememberInvitationLink } from './invitation-links.js';
import { invitationsKey } from './team-queries.js';

/** Creates an invitation link for a role (optionally meant for one email) and shows it to hand on. */
export function InviteForm({ orgId, actorRole }: { orgId: string; actorRole: Role }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>('editor');
  const [email, setEmail] = useState('');
  const invite = useIntentMutation({
    mutationFn: (_: void, intent) => createInvitation(orgId, { role, ...(email.trim() ? { email: email.trim() } : {}) }, intent.key()),
    onSuccess: async ({ invitation, url }) => {
      rememberInvitationLink(invitation.id, url);
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: invitationsKey(orgId) });
    },
  });
  const roles = ROLES.filter((r) => canAssignRole(actorRole, r)).map((r) => ({ value: r, label: t(`roles.${r}`) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} mb={4}>
        {t('team.inviteTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('team.inviteIntro')}
      </Text>
      <form onSubmit={submit} data-testid="invite-form">
        <Group align="flex-end" gap="sm">
          <Select
            label={t('team.role')}
            data={roles}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
            allowDeselect={false}
            w={160}
            data-testid="invite-role"
          />
          <TextInput
            label={t('team.inviteEmail')}
            placeholder={t('team.inviteEmailPlaceholder')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            w={280}
          />
          <Button type="submit" loading={invite.isPending} data-testid="create-invitation">
            {t('team.createLink')}
          </Button>
        </Group>
      </form>
      {invite.data && (
        <Stack gap={4} mt="md">
          <SecretField label={t('team.linkLabel', { role: t(`roles.${invite.data.invitation.role}`) })} value={invite.data.url} testId="invite-url" />
          <Text size="xs" c="dimmed">
            {t('team.linkHint')}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}
