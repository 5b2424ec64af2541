import { Button, Code, Group, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { exportUrl } from '../../api/ops.js';
import { can } from '../../app/permissions.js';
import { useCurrentOrg } from '../../shell/current-org.js';

/** Settings → Organization, for owners: every row of the org as a .tar.gz, downloaded by the browser itself. */
export function ExportSection() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  if (!can(org.role, 'org.export')) return null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="export-section">
      <Title order={4} mb={4}>
        {t('export.title')}
      </Title>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" c="dimmed">
          {t('export.body')} {t('export.format')} <Code>docs/export-format.md</Code>
        </Text>
        {/* A plain link, not fetch(): the browser streams the archive to disk and names it from the server's header. */}
        <Button component="a" href={exportUrl(org.id)} download variant="light" style={{ flexShrink: 0 }} data-testid="export-org">
          {t('export.download')}
        </Button>
      </Group>
    </Paper>
  );
}
