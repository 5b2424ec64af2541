import { Alert, Anchor, Button, FileInput, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { spreadsheetCsv } from '@core/spreadsheet-csv.js';
import type { Channel } from '../../api/channels.js';
import { ApiError } from '../../api/client.js';
import { newIdempotencyKey } from '../../api/intent.js';
import { importCsv, type BulkReport } from '../../api/publishing.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { browserTimeZone, TimeZoneSelect } from '../../components/TimeZoneSelect.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useRefreshPosts } from './post-queries.js';

/** The columns src/publishing/bulk-import.ts reads; media_url and campaign are optional. */
const HEADER = ['account', 'time', 'text', 'campaign'];

/** An example file that imports as is: the org's own accounts, tomorrow and the day after. */
export function exampleCsv(accounts: Channel[], zone: string): string {
  const first = accounts[0];
  const account = first ? first.handle || first.id : 'your-account';
  const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day');
  const rows = [
    [account, tomorrow.set({ hour: 9 }).toFormat('yyyy-MM-dd HH:mm'), 'Good morning! Our autumn menu is out today.', 'autumn-menu'],
    [account, tomorrow.plus({ days: 1 }).set({ hour: 12, minute: 30 }).toFormat('yyyy-MM-dd HH:mm'), 'Lunch special, "two for one", until 2 pm.', ''],
  ];
  return spreadsheetCsv([HEADER, ...rows]);
}

/**
 * Bulk scheduling from CSV for admins: the file is checked first (a dry run that lists every bad
 * row with its line number), then imported whole, or only its valid rows once the user saw what is wrong.
 */
export function BulkImport({ accounts }: { accounts: Channel[] }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshPosts(org.id);
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [zone, setZone] = useState(browserTimeZone());
  const example = `data:text/csv;charset=utf-8,${encodeURIComponent(exampleCsv(accounts, zone))}`;

  const check = useMutation({
    meta: { quiet: true },
    // A dry run changes nothing: every check is its own request.
    mutationFn: (input: { csv: string; timeZone: string }) => importCsv(org.id, { ...input, dryRun: true }, newIdempotencyKey()),
  });
  const run = useIntentMutation({
    meta: { quiet: true },
    mutationFn: (validOnly: boolean, intent) => importCsv(org.id, { csv: csv ?? '', timeZone: zone, dryRun: false, importValidOnly: validOnly }, intent.key()),
    onSuccess: async (report) => {
      notifySuccess(t('bulk.imported', { count: report.imported }));
      await refresh();
    },
  });
  const reset = () => {
    check.reset();
    run.reset();
  };
  const pick = async (picked: File | null) => {
    setFile(picked);
    reset();
    if (!picked) return setCsv(null);
    const text = await picked.text();
    setCsv(text);
    check.mutate({ csv: text, timeZone: zone });
  };
  const pickZone = (next: string) => {
    setZone(next);
    reset();
    if (csv) check.mutate({ csv, timeZone: next });
  };

  const report: BulkReport | undefined = run.data ?? check.data;
  const failure = run.error ?? check.error;
  return (
    <Paper withBorder radius="md" p="md" data-testid="bulk-import">
      <Title order={4} mb={4}>
        {t('bulk.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm" maw={760}>
        {t('bulk.intro')}
      </Text>
      <Stack gap="sm">
        <Group gap="sm" align="flex-end">
          <FileInput
            label={t('bulk.file')}
            placeholder={t('bulk.filePlaceholder')}
            accept=".csv,text/csv"
            value={file}
            onChange={(picked) => void pick(picked)}
            clearable
            w={280}
            data-testid="bulk-file"
          />
          <TimeZoneSelect label={t('bulk.timeZone')} value={zone} onChange={pickZone} testId="bulk-zone" />
          <Anchor href={example} download="chorus-bulk-example.csv" size="sm" pb={8} data-testid="bulk-example">
            {t('bulk.example')}
          </Anchor>
        </Group>
        <Text size="xs" c="dimmed">
          {t('bulk.columns')}
        </Text>
        {check.isPending && (
          <Text size="sm" c="dimmed">
            {t('bulk.checking')}
          </Text>
        )}
        {failure != null && <BulkFailure error={failure} />}
        {report && !run.data && <ReportView report={report} />}
        {report && !run.data && report.valid > 0 && (
          <Group gap="sm">
            {report.invalid.length === 0 ? (
              <Button onClick={() => run.mutate(false)} loading={run.isPending} data-testid="bulk-import-all">
                {t('bulk.importAll', { count: report.valid })}
              </Button>
            ) : (
              <Button color="orange" onClick={() => run.mutate(true)} loading={run.isPending} data-testid="bulk-import-valid">
                {t('bulk.importValid', { count: report.valid })}
              </Button>
            )}
          </Group>
        )}
        {run.data && (
          <Alert color="teal" variant="light" data-testid="bulk-done">
            {t('bulk.imported', { count: run.data.imported })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function ReportView({ report }: { report: BulkReport }) {
  const { t } = useTranslation();
  const clean = report.invalid.length === 0;
  return (
    <Stack gap="xs" data-testid="bulk-report" data-rows={report.rows} data-valid={report.valid} data-invalid={report.invalid.length}>
      <Alert
        color={clean ? 'teal' : report.valid === 0 ? 'red' : 'yellow'}
        variant="light"
        title={t('bulk.summary', { rows: report.rows, valid: report.valid, invalid: report.invalid.length })}
      >
        <Text size="sm">{clean ? t('bulk.allGood') : t('bulk.someBad')}</Text>
      </Alert>
      {!clean && (
        <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="bulk-bad-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>{t('bulk.line')}</Table.Th>
              <Table.Th>{t('bulk.problems')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.invalid.map((row) => (
              <Table.Tr key={row.line} data-testid="bulk-bad-row" data-line={row.line}>
                <Table.Td fw={600}>{row.line}</Table.Td>
                <Table.Td>
                  {row.errors.map((error) => (
                    <Text key={error} size="sm" c="red.8">
                      {error}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** The file as a whole was refused (unreadable, bad header, empty, too many rows): the server's sentence as sent. */
function BulkFailure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : 'unexpected';
  return (
    <Alert color="red" variant="light" title={t(`bulk.errors.${code}`, { defaultValue: t('errors.title') })} data-testid="bulk-error" data-code={code}>
      <Text size="sm">{error instanceof ApiError ? error.message : describeError(error)}</Text>
    </Alert>
  );
}
