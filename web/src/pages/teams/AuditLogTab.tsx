import { Code, Loader, Paper, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listAuditEvents } from '../../api/orgs.js';
import { useFormatDate } from '../../components/format.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useMembers } from './team-queries.js';

/** Settings → Audit log (admins): who changed what in this organization, newest first. */
export function AuditLogTab() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const events = useQuery({ queryKey: ['org', org.id, 'audit'], queryFn: () => listAuditEvents(org.id, 200).then((r) => r.events) });
  const members = useMembers(org.id);
  const formatDate = useFormatDate();
  // Former members are no longer listed: their id is all that is left to show.
  const actorName = (userId: string | null) => (userId ? (members.data?.find((m) => m.userId === userId)?.name ?? userId) : t('audit.system'));
  if (events.isPending) return <Loader size="sm" />;
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={720}>
        <Table striped verticalSpacing={6} data-testid="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190}>{t('audit.when')}</Table.Th>
              <Table.Th w={180}>{t('audit.who')}</Table.Th>
              <Table.Th>{t('audit.what')}</Table.Th>
              <Table.Th>{t('audit.detail')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(events.data ?? []).map((event) => (
              <Table.Tr key={event.id} data-testid="audit-row">
                <Table.Td>
                  <Text size="sm">{formatDate(event.at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{actorName(event.actorUserId)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t(`audit.actions.${event.action}`, { defaultValue: event.action })}</Text>
                </Table.Td>
                <Table.Td>
                  <Code>{JSON.stringify(event.detail)}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {events.data?.length === 0 && (
        <Text size="sm" c="dimmed" p="md">
          {t('audit.empty')}
        </Text>
      )}
    </Paper>
  );
}
