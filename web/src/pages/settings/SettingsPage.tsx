import { Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { can } from '../../app/permissions.js';
import { orgPath } from '../../app/paths.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { ApiTokensTab } from '../accounts/ApiTokensTab.js';
import { ProfileTab } from '../accounts/ProfileTab.js';
import { SecurityTab } from '../accounts/SecurityTab.js';
import { useInstanceAdmin } from '../admin/instance-admin.js';
import { ChannelsTab } from '../channels/ChannelsTab.js';
import { CrmSettingsTab } from '../crm/settings/CrmSettingsTab.js';
import { WebhooksTab } from '../notifications/WebhooksTab.js';
import { AuditLogTab } from '../teams/AuditLogTab.js';
import { OrganizationTab } from '../teams/OrganizationTab.js';
import { TeamTab } from '../teams/TeamTab.js';
import { BackupsTab } from './BackupsTab.js';

const TABS: { tab: string; page: () => ReactElement; visible: (role: Parameters<typeof can>[0], instanceAdmin: boolean) => boolean }[] = [
  { tab: 'team', page: TeamTab, visible: () => true },
  { tab: 'channels', page: ChannelsTab, visible: (role) => can(role, 'channels.read') },
  { tab: 'webhooks', page: WebhooksTab, visible: (role) => can(role, 'webhooks.manage') },
  { tab: 'organization', page: OrganizationTab, visible: () => true },
  { tab: 'crm', page: CrmSettingsTab, visible: (role) => can(role, 'contacts.read') },
  { tab: 'profile', page: ProfileTab, visible: () => true },
  { tab: 'security', page: SecurityTab, visible: () => true },
  { tab: 'tokens', page: ApiTokensTab, visible: () => true },
  { tab: 'audit', page: AuditLogTab, visible: (role) => can(role, 'audit.read') },
  { tab: 'backups', page: BackupsTab, visible: (_role, instanceAdmin) => instanceAdmin },
];

/** Settings at /orgs/:orgId/settings/:tab: the org's team and the user's own account. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const { tab } = useParams();
  const navigate = useNavigate();
  const instanceAdmin = useInstanceAdmin();
  const tabs = TABS.filter((entry) => entry.visible(org.role, instanceAdmin === true));
  const active = tabs.find((entry) => entry.tab === tab);
  if (!active && tab === 'backups' && instanceAdmin === undefined) return <Loader size="sm" />;
  if (!active) return <Navigate to={orgPath(org.id, 'settings/team')} replace />;
  return (
    <Stack gap="md" data-testid="page-settings">
      <div>
        <Title order={2}>{t('settings.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('settings.intro', { org: org.name })}
        </Text>
      </div>
      <Tabs value={active.tab} onChange={(value) => value && void navigate(orgPath(org.id, `settings/${value}`))} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((entry) => (
            <Tabs.Tab key={entry.tab} value={entry.tab} data-testid={`settings-tab-${entry.tab}`}>
              {t(`settings.tabs.${entry.tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((entry) => (
          <Tabs.Panel key={entry.tab} value={entry.tab}>
            <entry.page />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
