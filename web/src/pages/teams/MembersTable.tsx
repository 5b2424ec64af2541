import { Badge, Group, Loader, Paper, Select, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { changeMemberRole, removeMember } from '../../api/orgs.js';
import { ROLES, type Member, type Role } from '../../api/types.js';
import { notifySuccess } from '../../app/errors.js';
import { can, canAssignRole } from '../../app/permissions.js';
import { SESSION_KEY } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { membersKey, useMembers } from './team-queries.js';

export function MembersTable() {
  const { t } = useTranslation();
  const { org, session } = useCurrentOrg();
  const members = useMembers(org.id);
  const formatDate = useFormatDate();
  // Sent to owners and admins only.
  const showTwoFactor = members.data?.some((m) => m.twoFactor !== undefined) ?? false;
  return (
    <Paper withBorder radius="md">
      <Group justify="space-between" p="md" pb="xs">
        <Title order={4}>{t('team.membersTitle')}</Title>
        {members.data && (
          <Text size="sm" c="dimmed">
            {t('team.memberCount', { total: members.data.length })}
          </Text>
        )}
      </Group>
      {members.isPending ? (
        <Loader size="sm" m="md" />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover verticalSpacing={6} data-testid="members-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('fields.email')}</Table.Th>
                <Table.Th w={170}>{t('team.role')}</Table.Th>
                <Table.Th>{t('team.joined')}</Table.Th>
                {showTwoFactor && <Table.Th>{t('team.twoFactor')}</Table.Th>}
                <Table.Th w={110} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(members.data ?? []).map((member) => (
                <Table.Tr key={member.userId} data-testid="member-row" data-email={member.email}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {member.name}
                      </Text>
                      {member.userId === session.user.id && (
                        <Badge size="xs" variant="light">
                          {t('team.you')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{member.email}</Text>
                  </Table.Td>
                  <Table.Td>
                    <MemberRole member={member} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(member.joinedAt)}
                    </Text>
                  </Table.Td>
                  {showTwoFactor && (
                    <Table.Td>
                      <Badge size="sm" variant="light" color={member.twoFactor ? 'teal' : 'gray'} data-testid="member-two-factor">
                        {member.twoFactor ? t('twoFactor.on') : t('twoFactor.off')}
                      </Badge>
                    </Table.Td>
                  )}
                  <Table.Td ta="right">
                    <RemoveMember member={member} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** A select where the user's role may change this member's role, a badge otherwise. */
function MemberRole({ member }: { member: Member }) {
  const { t } = useTranslation();
  const { org, session } = useCurrentOrg();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (role: Role) => changeMemberRole(org.id, member.userId, role),
    onSuccess: async ({ members }) => {
      queryClient.setQueryData(membersKey(org.id), members);
      notifySuccess(t('team.roleChanged', { name: member.name }));
      // Changing one's own role changes what the UI may offer.
      if (member.userId === session.user.id) await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
  const editable = can(org.role, 'members.manage') && canAssignRole(org.role, member.role);
  if (!editable) {
    return (
      <Badge variant="light" color="gray" data-testid="member-role">
        {t(`roles.${member.role}`)}
      </Badge>
    );
  }
  const roles = ROLES.filter((r) => canAssignRole(org.role, r)).map((r) => ({ value: r, label: t(`roles.${r}`) }));
  return (
    <Select
      size="xs"
      data={roles}
      value={member.role}
      allowDeselect={false}
      disabled={change.isPending}
      onChange={(value) => value && value !== member.role && change.mutate(value as Role)}
      aria-label={t('team.roleOf', { name: member.name })}
      data-testid="member-role"
    />
  );
}

function RemoveMember({ member }: { member: Member }) {
  const { t } = useTranslation();
  const { org, session } = useCurrentOrg();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => removeMember(org.id, member.userId),
    onSuccess: async () => {
      notifySuccess(t('team.removed', { name: member.name }));
      await queryClient.invalidateQueries({ queryKey: membersKey(org.id) });
    },
  });
  // Leaving is on the Organization tab; here only others can be removed.
  if (member.userId === session.user.id || !can(org.role, 'members.manage') || !canAssignRole(org.role, member.role)) return null;
  return (
    <ConfirmButton
      question={t('team.removeQuestion', { name: member.name, org: org.name })}
      confirmLabel={t('team.remove')}
      onConfirm={() => remove.mutate()}
      loading={remove.isPending}
      data-testid="remove-member"
    >
      {t('team.remove')}
    </ConfirmButton>
  );
}
