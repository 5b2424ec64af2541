import { Alert, Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../app/permissions.js';
import { describeError } from '../../app/errors.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useAnalyticsSettings, useCampaignReport, useChannelReport, useOverview } from './analytics-queries.js';
import { BestTimeHeatmap } from './BestTimeHeatmap.js';
import { LinksSection } from './LinksSection.js';
import { OverviewCards } from './OverviewCards.js';
import { SettingsSection } from './SettingsSection.js';
import { TopPosts } from './TopPosts.js';
import { TrafficCharts } from './TrafficCharts.js';
import './analytics-print.css';

const day = (date: Date) => date.toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/** Analytics: what worked in a date range against the one before, as charts, tables and CSV, printable. */
export function AnalyticsPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const [to, setTo] = useState(() => day(new Date()));
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 29 * DAY_MS)));
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const overview = useOverview(org.id, from, to);
  const channels = useChannelReport(org.id, from, to);
  const campaigns = useCampaignReport(org.id, from, to);
  const settings = useAnalyticsSettings(org.id);
  // Printing shows every chart's table: the report on paper carries its numbers.
  useEffect(() => {
    const open = () => document.querySelectorAll('details.analytics-table').forEach((d) => d.setAttribute('open', ''));
    window.addEventListener('beforeprint', open);
    return () => window.removeEventListener('beforeprint', open);
  }, []);
  return (
    <Stack gap="md" data-testid="page-analytics">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('analytics.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('analytics.intro')}
          </Text>
        </div>
        <Group gap="sm" align="flex-end" className="analytics-no-print">
          <TextInput
            type="date"
            size="xs"
            label={t('analytics.from')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            data-testid="analytics-from"
          />
          <TextInput type="date" size="xs" label={t('analytics.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="analytics-to" />
          <Button size="xs" variant="default" onClick={() => window.print()} data-testid="analytics-print">
            {t('analytics.print')}
          </Button>
        </Group>
      </Group>
      {overview.data && (
        <Text size="xs" c="dimmed" data-testid="analytics-range">
          {t('analytics.rangeNote', {
            from: overview.data.range.from,
            to: overview.data.range.to,
            previousFrom: overview.data.range.previousFrom,
            previousTo: overview.data.range.previousTo,
            zone: overview.data.range.timeZone,
          })}
        </Text>
      )}
      {!valid ? (
        <Alert color="yellow" variant="light">
          {t('analytics.badRange')}
        </Alert>
      ) : overview.isPending || channels.isPending ? (
        <Loader size="sm" />
      ) : overview.isError || channels.isError ? (
        <Alert color="red" variant="light" title={t('analytics.loadFailed')} data-testid="analytics-error">
          {describeError(overview.error ?? channels.error)}
        </Alert>
      ) : (
        <>
          <OverviewCards overview={overview.data} />
          <TrafficCharts orgId={org.id} overview={overview.data} channels={channels.data} />
          <BestTimeHeatmap orgId={org.id} channels={channels.data} />
          <TopPosts orgId={org.id} from={from} to={to} />
          <LinksSection orgId={org.id} canCreate={can(org.role, 'links.write')} campaigns={campaigns.data ?? []} from={from} to={to} />
          {settings.data && can(org.role, 'analytics.manage') && <SettingsSection orgId={org.id} settings={settings.data} />}
        </>
      )}
    </Stack>
  );
}
