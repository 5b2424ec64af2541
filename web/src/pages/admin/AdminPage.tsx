import { Alert, Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { orgPath } from '../../app/paths.js';
import { describeError } from '../../app/errors.js';
import { useFormatDate } from '../../components/format.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useStatus } from './admin-queries.js';
import { IncidentCard } from './IncidentCard.js';
import { IncidentForm } from './IncidentForm.js';
import { useInstanceAdmin } from './instance-admin.js';
import { SlaTable } from './SlaTable.js';

/** Admin (instance admin only): the installation's status, its incidents and the SLA report. */
export function AdminPage() {
  const { org } = useCurrentOrg();
  const instanceAdmin = useInstanceAdmin();
  if (instanceAdmin === undefined) return <Loader size="sm" />;
  if (!instanceAdmin) return <Navigate to={orgPath(org.id, 'streams')} replace />;
  return <AdminOverview />;
}

function AdminOverview() {
  const { t, i18n } = useTranslation();
  const status = useStatus();
  const formatDate = useFormatDate();
  const percent = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 3 });
  const open = status.data?.incidents.filter((i) => !i.resolvedAt) ?? [];
  const resolved = status.data?.incidents.filter((i) => i.resolvedAt) ?? [];
  return (
    <Stack gap="md" maw={1100} data-testid="page-admin">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('admin.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('admin.intro')}
          </Text>
        </div>
        {/* The public page is rendered by the server: a full page load, not a route of this app. */}
        <Anchor href="/status" size="sm" data-testid="admin-status-link">
          {t('admin.publicPage')} ↗
        </Anchor>
      </Group>

      {status.isPending ? (
        <Loader size="sm" />
      ) : status.isError ? (
        <Alert color="red">{describeError(status.error)}</Alert>
      ) : (
        <Paper withBorder p="md" radius="md" data-testid="status-summary" data-status={status.data.status}>
          <Group justify="space-between" mb="sm">
            <Group gap="xs">
              <Title order={4}>{t('admin.currentStatus')}</Title>
              <Badge color={status.data.status === 'operational' ? 'teal' : 'red'} variant="filled">
                {t(`admin.overall.${status.data.status}`)}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {t('admin.checkedAt', { when: formatDate(status.data.checkedAt) })}
            </Text>
          </Group>
          {status.data.components.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('admin.noComponents')}
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs">
              {status.data.components.map((component) => (
                <Group key={component.name} gap={8} wrap="nowrap" data-testid="status-component" data-state={component.state}>
                  <Badge color={component.state === 'up' ? 'teal' : 'red'} variant="dot" style={{ flexShrink: 0 }}>
                    {t(`admin.componentState.${component.state}`)}
                  </Badge>
                  <Text size="sm" truncate style={{ minWidth: 0 }} title={component.name}>
                    {component.name}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                    {component.uptime90Days === null ? '—' : t('admin.uptime', { percent: percent.format(component.uptime90Days) })}
                  </Text>
                </Group>
              ))}
            </SimpleGrid>
          )}
        </Paper>
      )}

      <IncidentForm componentNames={status.data?.components.map((c) => c.name) ?? []} />

      <Stack gap="xs" data-testid="open-incidents">
        <Title order={4}>{t('admin.openIncidents')}</Title>
        {status.data && open.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="no-open-incidents">
            {t('admin.noOpenIncidents')}
          </Text>
        )}
        {open.map((incident) => (
          <IncidentCard key={incident.id} incident={incident} />
        ))}
      </Stack>

      {resolved.length > 0 && (
        <Stack gap="xs" data-testid="resolved-incidents">
          <Title order={4}>{t('admin.resolvedIncidents')}</Title>
          {resolved.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} />
          ))}
        </Stack>
      )}

      <SlaTable />
    </Stack>
  );
}
