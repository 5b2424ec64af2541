import { Alert, Badge, Button, Checkbox, FileInput, Group, Modal, Paper, ScrollArea, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTACT_IMPORT_TARGETS, importContacts, type ContactImportResult, type ContactImportTarget } from '../../api/contacts.js';
import { Intent } from '../../api/intent.js';
import { describeError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useRefreshContacts } from './contact-queries.js';

const AUTO = 'auto';

/**
 * Contacts from a CSV file: pick it, map its columns (the server guesses from the header names
 * what is left on "automatic"), read the preview and the errors by line, then import. Nothing is
 * written until the file is valid, or the user ticks that the rows with errors are skipped.
 */
export function ContactImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshContacts(org.id);
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, ContactImportTarget>>({});
  const [skip, setSkip] = useState(false);
  const preview = useMutation({
    meta: { quiet: true },
    mutationFn: (input: { csv: string; mapping: Record<string, ContactImportTarget> }) => importContacts(org.id, { ...input, mode: 'preview' }),
  });
  // One Idempotency-Key per confirmed import: kept when the user repeats it after a failure (a
  // timeout, a 503), so the server imports once; a new file, mapping or skip choice is a new import.
  const importIntent = useRef<Intent | null>(null);
  const newImport = () => {
    importIntent.current = null;
  };
  const run = useIntentMutation({
    meta: { quiet: true },
    mutationFn: () => {
      importIntent.current ??= new Intent();
      return importContacts(org.id, { csv: csv ?? '', mapping, mode: 'import', ...(skip ? { skipInvalidRows: true } : {}) }, importIntent.current.key());
    },
    onSuccess: async (result) => {
      if (result.imported) await refresh();
    },
  });
  const pick = async (picked: File | null) => {
    setFile(picked);
    setMapping({});
    setSkip(false);
    newImport();
    preview.reset();
    run.reset();
    if (!picked) return setCsv(null);
    const text = await picked.text();
    setCsv(text);
    preview.mutate({ csv: text, mapping: {} });
  };
  const map = (header: string, target: string | null) => {
    const next = { ...mapping };
    if (!target || target === AUTO) delete next[header];
    else next[header] = target as ContactImportTarget;
    setMapping(next);
    setSkip(false);
    newImport();
    run.reset();
    if (csv) preview.mutate({ csv, mapping: next });
  };
  const report: ContactImportResult | undefined = preview.data;
  const done = run.data?.imported ? run.data : undefined;
  const failure = run.error ?? preview.error;
  const targetOptions = [
    { value: AUTO, label: t('contactImport.targets.auto') },
    ...CONTACT_IMPORT_TARGETS.map((target) => ({ value: target, label: t(`contactImport.targets.${target}`) })),
  ];
  const canImport = report && report.validRows > 0 && (report.errors.length === 0 || skip);
  const badLines = report ? new Set(report.errors.map((e) => e.line)).size : 0;
  return (
    <Modal opened onClose={onClose} title={t('contactImport.title')} size="xl">
      <Stack gap="sm" data-testid="contact-import">
        <Text size="sm" c="dimmed">
          {t('contactImport.intro')}
        </Text>
        <FileInput
          label={t('contactImport.file')}
          placeholder={t('contactImport.filePlaceholder')}
          accept=".csv,text/csv"
          value={file}
          onChange={(picked) => void pick(picked)}
          clearable
          clearButtonProps={{ 'aria-label': t('contactImport.clearFile') }}
          disabled={run.isPending}
          data-testid="contact-import-file"
        />
        {preview.isPending && (
          <Text size="sm" c="dimmed">
            {t('contactImport.checking')}
          </Text>
        )}
        {failure != null && (
          <Alert color="red" variant="light" p="xs" data-testid="contact-import-failure">
            {describeError(failure)}
          </Alert>
        )}
        {report && !done && (
          <>
            <Text size="sm" fw={600}>
              {t('contactImport.mapping')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="contact-import-mapping">
              {report.headers.map((header) => (
                <Select
                  key={header}
                  size="xs"
                  label={header}
                  data={targetOptions}
                  value={mapping[header] ?? AUTO}
                  onChange={(v) => map(header, v)}
                  allowDeselect={false}
                  disabled={run.isPending}
                  data-testid="contact-import-column"
                />
              ))}
            </SimpleGrid>
            <Group gap="xs">
              <Badge color="teal" variant="outline" data-testid="contact-import-valid">
                {t('contactImport.validRows', { count: report.validRows })}
              </Badge>
              {report.errors.length > 0 && (
                <Badge color="red" variant="light" data-testid="contact-import-invalid">
                  {t('contactImport.invalidRows', { count: badLines })}
                </Badge>
              )}
            </Group>
            {report.errors.length > 0 && (
              <Paper withBorder p="xs">
                <Text size="sm" fw={600} mb={4}>
                  {t('contactImport.errors')}
                </Text>
                <ScrollArea.Autosize mah={200}>
                  <Table data-testid="contact-import-errors">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('contactImport.line')}</Table.Th>
                        <Table.Th>{t('contactImport.column')}</Table.Th>
                        <Table.Th>{t('contactImport.problem')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {report.errors.map((e, i) => (
                        <Table.Tr key={i} data-testid="contact-import-error">
                          <Table.Td data-testid="contact-import-error-line">{e.line}</Table.Td>
                          <Table.Td>{e.column ?? '—'}</Table.Td>
                          {/* File text: rendered as React text, never as HTML. */}
                          <Table.Td>{e.message}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
              </Paper>
            )}
            {report.preview.length > 0 && (
              <Paper withBorder p="xs">
                <Text size="sm" fw={600} mb={4}>
                  {t('contactImport.preview', { count: report.preview.length })}
                </Text>
                <ScrollArea.Autosize mah={240}>
                  <Table data-testid="contact-import-preview">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('contactImport.line')}</Table.Th>
                        <Table.Th>{t('contactImport.targets.displayName')}</Table.Th>
                        <Table.Th>{t('contactImport.targets.email')}</Table.Th>
                        <Table.Th>{t('contactImport.targets.company')}</Table.Th>
                        <Table.Th>{t('contactImport.targets.stage')}</Table.Th>
                        <Table.Th>{t('contactImport.targets.tags')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {report.preview.map((row) => (
                        <Table.Tr key={row.line}>
                          <Table.Td>{row.line}</Table.Td>
                          <Table.Td>{row.displayName}</Table.Td>
                          <Table.Td>{row.email ?? '—'}</Table.Td>
                          <Table.Td>{row.company ?? '—'}</Table.Td>
                          <Table.Td>{row.stage}</Table.Td>
                          <Table.Td>{row.tags.join(', ')}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
              </Paper>
            )}
            {report.errors.length > 0 && report.validRows > 0 && (
              <Checkbox
                label={t('contactImport.skipInvalid', { count: badLines })}
                checked={skip}
                onChange={(e) => {
                  setSkip(e.currentTarget.checked);
                  newImport();
                }}
                disabled={run.isPending}
                data-testid="contact-import-skip"
              />
            )}
          </>
        )}
        {done && (
          <Alert color="teal" variant="light" data-testid="contact-import-done">
            {t('contactImport.done', { created: done.created, updated: done.updated })}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {done ? t('contactImport.close') : t('common.cancel')}
          </Button>
          {!done && (
            <Button
              onClick={() => run.mutate()}
              disabled={!canImport || preview.isPending || run.isPending}
              loading={run.isPending}
              data-testid="contact-import-run"
            >
              {t('contactImport.import', { count: report?.validRows ?? 0 })}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
