import { Group, Select, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { analyticsCsvUrl, type ChannelRow } from '../../api/analytics.js';
import { useBestTimes } from './analytics-queries.js';
import { ChartCard } from './ChartCard.js';
import { EChart } from './EChart.js';

const HOURS = Array.from({ length: 24 }, (_, h) => String(h));

/** Weekday × hour heat map of one account's average engagement, in the org's time zone, and its suggested slots. */
export function BestTimeHeatmap({ orgId, channels }: { orgId: string; channels: ChannelRow[] }) {
  const { t } = useTranslation();
  const [channelId, setChannelId] = useState<string | null>(channels[0]?.channelAccountId ?? null);
  useEffect(() => {
    if (!channelId && channels[0]) setChannelId(channels[0].channelAccountId);
  }, [channels, channelId]);
  const best = useBestTimes(orgId, channelId);
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((n) => t(`analytics.weekdays.${n}`));
  const cells = best.data?.cells ?? [];
  const data = cells.flatMap((day, d) => day.map((value, hour) => [hour, d, value ?? '-']));
  const max = Math.max(1, ...cells.flat().map((v) => v ?? 0));
  return (
    <ChartCard
      title={t('analytics.charts.bestTimes')}
      csvUrl={channelId ? analyticsCsvUrl(orgId, 'best-times', { channelAccountId: channelId }) : '#'}
      testId="chart-best-times"
      note={
        <Group gap="md" align="flex-end">
          <Select
            size="xs"
            w={240}
            label={t('analytics.account')}
            data={channels.map((c) => ({ value: c.channelAccountId, label: c.name }))}
            value={channelId}
            onChange={setChannelId}
            allowDeselect={false}
            data-testid="best-times-account"
          />
          <Text size="xs" c="dimmed" data-testid="best-times-suggested">
            {best.data && best.data.suggested.length > 0
              ? t('analytics.suggested', {
                  slots: best.data.suggested.map((s) => `${weekdays[s.weekday - 1]} ${s.hour}:00`).join(', '),
                  zone: best.data.timeZone,
                })
              : t('analytics.noSuggestion')}
          </Text>
        </Group>
      }
      table={{
        columns: [t('analytics.columns.weekday'), ...HOURS],
        rows: cells.map((day, d) => [weekdays[d] ?? '', ...day.map((v) => (v === null ? '' : v.toFixed(1)))]),
      }}
    >
      <EChart
        testId="chart-best-times-canvas"
        height={260}
        label={t('analytics.charts.bestTimes')}
        option={{
          tooltip: { position: 'top' },
          grid: { left: 50, right: 16, top: 10, bottom: 80 },
          xAxis: { type: 'category', data: HOURS, splitArea: { show: true }, name: t('analytics.columns.hour'), nameLocation: 'middle', nameGap: 26 },
          yAxis: { type: 'category', data: weekdays, splitArea: { show: true }, inverse: true },
          visualMap: {
            min: 0,
            max,
            calculable: false,
            orient: 'horizontal',
            left: 'center',
            bottom: 0,
            itemHeight: 120,
            itemWidth: 12,
            inRange: { color: ['#e7f5ff', '#1c7ed6'] },
          },
          series: [{ type: 'heatmap', data, label: { show: false } }],
        }}
      />
    </ChartCard>
  );
}
