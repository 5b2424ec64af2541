import { Badge, Button, CopyButton, Group, Loader, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { revokeInvitation } from '../../api/orgs.js';
import type { Invitation } from '../../api/types.js';
import { notifySuccess } from '../../app/errors.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { invitationLink } from './invitation-links.js';
import { invitationsKey, useInvitations, useMembers } from './team-queries.js';

export function PendingInvitations({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const invitations = useInvitations(orgId);
  const members = useMembers(orgId);
  const formatDate = useFormatDate();
  const nameOf = (userId: string) => members.data?.find((m) => m.userId === userId)?.name ?? '—';
  return (
    <Paper withBorder radius="md">
      <Group justify="space-between" p="md" pb="xs">
        <Title order={4}>{t('team.pendingTitle')}</Title>
      </Group>
      {invitations.isPending ? (
        <Loader size="sm" m="md" />
      ) : invitations.data?.length ? (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing={6} data-testid="invitations-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('team.role')}</Table.Th>
                <Table.Th>{t('team.invitedEmail')}</Table.Th>
                <Table.Th>{t('team.invitedBy')}</Table.Th>
                <Table.Th>{t('team.expires')}</Table.Th>
                <Table.Th w={190} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data.map((invitation) => (
                <Table.Tr key={invitation.id} data-testid="invitation-row">
                  <Table.Td>
                    <Badge variant="light">{t(`roles.${invitation.role}`)}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{invitation.email ?? t('team.anyoneWithLink')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{nameOf(invitation.createdBy)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(invitation.expiresAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <CopyLink invitationId={invitation.id} />
                      <RevokeInvitation orgId={orgId} invitation={invitation} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text size="sm" c="dimmed" p="md" pt={0} data-testid="no-invitations">
          {t('team.noPending')}
        </Text>
      )}
    </Paper>
  );
}

function CopyLink({ invitationId }: { invitationId: string }) {
  const { t } = useTranslation();
  const url = invitationLink(invitationId);
  if (!url) {
    return (
      <Tooltip label={t('team.linkShownOnce')} multiline w={240}>
        <Button size="xs" variant="subtle" color="gray" data-disabled onClick={(e) => e.preventDefault()}>
          {t('team.copyLink')}
        </Button>
      </Tooltip>
    );
  }
  return (
    <CopyButton value={url}>
      {({ copied, copy }) => (
        <Button size="xs" variant="subtle" color={copied ? 'teal' : undefined} onClick={copy} data-testid="copy-invitation-link">
          {copied ? t('common.copied') : t('team.copyLink')}
        </Button>
      )}
    </CopyButton>
  );
}

function RevokeInvitation({ orgId, invitation }: { orgId: string; invitation: Invitation }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => revokeInvitation(orgId, invitation.id),
    onSuccess: async () => {
      notifySuccess(t('team.revoked'));
      await queryClient.invalidateQueries({ queryKey: invitationsKey(orgId) });
    },
  });
  return (
    <ConfirmButton
      question={t('team.revokeQuestion')}
      confirmLabel={t('team.revoke')}
      onConfirm={() => revoke.mutate()}
      loading={revoke.isPending}
      data-testid="revoke-invitation"
    >
      {t('team.revoke')}
    </ConfirmButton>
  );
}
