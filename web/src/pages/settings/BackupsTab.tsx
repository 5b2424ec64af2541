import { Alert, Badge, Button, Code, Group, Loader, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { listBackups, takeBackup, type Backup } from '../../api/ops.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useFormatBytes, useFormatDate } from '../../components/format.js';

const BACKUPS_KEY = ['ops', 'backups'] as const;

/** On PostgreSQL the server refuses with advice (pgBackRest, pg_dump): its own words say it best. */
const problemText = (error: unknown): string =>
  error instanceof ApiError && error.code === 'backups_need_embedded_store' ? error.message : describeError(error);

/** Settings → Backups (instance admin): verified copies of the embedded store, and one more now. */
export function BackupsTab() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const formatBytes = useFormatBytes();
  const listing = useQuery({ queryKey: BACKUPS_KEY, queryFn: listBackups, meta: { quiet: true } });
  const take = useMutation({
    mutationFn: takeBackup,
    meta: { quiet: true },
    onSuccess: async ({ backup, pruned }) => {
      notifySuccess(pruned.length ? t('backups.takenPruned', { id: backup.id, count: pruned.length }) : t('backups.taken', { id: backup.id }));
      await queryClient.invalidateQueries({ queryKey: BACKUPS_KEY });
    },
  });
  const data = listing.data;
  const refused = listing.error instanceof ApiError && listing.error.code === 'backups_need_embedded_store';
  return (
    <Stack gap="md" maw={1000} data-testid="backups-tab">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={4}>{t('backups.title')}</Title>
            <Text size="sm" c="dimmed" maw={640}>
              {t('backups.intro')}
            </Text>
          </div>
          <Button onClick={() => take.mutate()} loading={take.isPending} disabled={refused} data-testid="backup-now">
            {t('backups.takeNow')}
          </Button>
        </Group>
        {data && (
          <Stack gap={2} mt="sm" data-testid="backup-settings">
            <Text size="sm">
              {t('backups.directory')} <Code>{data.directory}</Code>
            </Text>
            <Text size="sm">{data.intervalMinutes > 0 ? t('backups.schedule', { count: data.intervalMinutes }) : t('backups.noSchedule')}</Text>
            <Text size="sm">{t('backups.retention', { hourly: data.retention.hourly, daily: data.retention.daily, weekly: data.retention.weekly })}</Text>
          </Stack>
        )}
        {take.isError && (
          <Alert color="red" mt="sm" title={t('backups.failed')} data-testid="backup-error">
            {problemText(take.error)}
          </Alert>
        )}
      </Paper>

      {listing.isPending ? (
        <Loader size="sm" />
      ) : listing.isError ? (
        <Alert color={refused ? 'blue' : 'red'} title={refused ? t('backups.postgresTitle') : t('backups.listFailed')} data-testid="backups-refused">
          {problemText(listing.error)}
        </Alert>
      ) : (
        <>
          {data!.unreadable.length > 0 && (
            <Alert color="orange" title={t('backups.unreadable', { count: data!.unreadable.length })} data-testid="backups-unreadable">
              <Stack gap={2}>
                {data!.unreadable.map((u) => (
                  <Text key={u.id} size="sm">
                    <Code>{u.id}</Code> {u.problem}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={760}>
              <Table striped verticalSpacing={6} data-testid="backups-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('backups.createdAt')}</Table.Th>
                    <Table.Th>{t('backups.id')}</Table.Th>
                    <Table.Th ta="right">{t('backups.size')}</Table.Th>
                    <Table.Th ta="right">{t('backups.rows')}</Table.Th>
                    <Table.Th>{t('backups.schemaVersion')}</Table.Th>
                    <Table.Th>{t('backups.verified')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data!.backups.map((backup) => (
                    <BackupRow key={backup.id} backup={backup} formatDate={formatDate} formatBytes={formatBytes} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {data!.backups.length === 0 && (
              <Text size="sm" c="dimmed" p="md" data-testid="no-backups">
                {t('backups.empty')}
              </Text>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}

function BackupRow({
  backup,
  formatDate,
  formatBytes,
}: {
  backup: Backup;
  formatDate: (iso: string | null) => string;
  formatBytes: (bytes: number) => string;
}) {
  const { t, i18n } = useTranslation();
  const counts = Object.entries(backup.rowCounts).filter(([, rows]) => rows > 0);
  const total = Object.values(backup.rowCounts).reduce((sum, rows) => sum + rows, 0);
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <Table.Tr data-testid="backup-row" data-backup-id={backup.id}>
      <Table.Td>
        <Text size="sm">{formatDate(backup.createdAt)}</Text>
      </Table.Td>
      <Table.Td>
        <Code>{backup.id}</Code>
      </Table.Td>
      <Table.Td ta="right">
        <Tooltip label={t('backups.uncompressed', { size: formatBytes(backup.databaseBytes) })}>
          <Text size="sm">{formatBytes(backup.compressedBytes)}</Text>
        </Tooltip>
      </Table.Td>
      <Table.Td ta="right">
        <Tooltip multiline w={280} label={counts.map(([table, rows]) => `${table}: ${number.format(rows)}`).join(' · ') || t('backups.noRows')}>
          <Text size="sm" data-testid="backup-rows">
            {number.format(total)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Code>{backup.schemaVersion}</Code>
      </Table.Td>
      <Table.Td>
        <Badge color="teal" variant="light" title={formatDate(backup.verifiedAt)}>
          {t('backups.verifiedAt', { when: formatDate(backup.verifiedAt) })}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}
