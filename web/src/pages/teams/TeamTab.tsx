import { Alert, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { can } from '../../app/permissions.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { InviteForm } from './InviteForm.js';
import { MembersTable } from './MembersTable.js';
import { PendingInvitations } from './PendingInvitations.js';

/** Settings → Team: who is in the organization, with which role, and who is invited. */
export function TeamTab() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const canManage = can(org.role, 'members.manage');
  return (
    <Stack gap="lg">
      {canManage ? (
        <InviteForm orgId={org.id} actorRole={org.role} />
      ) : (
        <Alert color="gray" variant="light" data-testid="team-read-only">
          {t('team.readOnly', { role: t(`roles.${org.role}`) })}
        </Alert>
      )}
      <MembersTable />
      {canManage && <PendingInvitations orgId={org.id} />}
    </Stack>
  );
}
