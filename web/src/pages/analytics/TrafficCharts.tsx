import { SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { analyticsCsvUrl, type ChannelRow, type Overview } from '../../api/analytics.js';
import { ChartCard } from './ChartCard.js';
import { EChart } from './EChart.js';
import { useNumbers } from './number-format.js';

const SENTIMENTS = ['positive', 'neutral', 'negative', 'unknown'] as const;
const SENTIMENT_COLORS = { positive: '#2f9e44', neutral: '#868e96', negative: '#e03131', unknown: '#ced4da' };

/** The day-by-day line chart, engagement and clicks per channel, and the sentiment of mentions. */
export function TrafficCharts({ orgId, overview, channels }: { orgId: string; overview: Overview; channels: ChannelRow[] }) {
  const { t } = useTranslation();
  const numbers = useNumbers();
  const range = { from: overview.range.from, to: overview.range.to };
  const series = ['engagement', 'humanClicks', 'mentions', 'posts'] as const;
  const methods = overview.sentimentMethods
    .map((m) => t('analytics.sentiment.methodCount', { method: t(`analytics.sentiment.methods.${m.method}`), count: m.count }))
    .join(' · ');
  return (
    <>
      <ChartCard
        title={t('analytics.charts.daily')}
        csvUrl={analyticsCsvUrl(orgId, 'overview', range)}
        testId="chart-daily"
        table={{
          columns: [t('analytics.columns.day'), ...series.map((s) => t(`analytics.columns.${s}`)), t('analytics.columns.botClicks')],
          rows: overview.daily.map((d) => [d.day, ...series.map((s) => numbers.count(d[s])), numbers.count(d.botClicks)]),
        }}
      >
        <EChart
          testId="chart-daily-canvas"
          label={t('analytics.charts.daily')}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { top: 0, type: 'scroll', itemGap: 24, data: series.map((s) => t(`analytics.columns.${s}`)) },
            grid: { left: 40, right: 16, top: 40, bottom: 30 },
            xAxis: { type: 'category', data: overview.daily.map((d) => d.day.slice(5)) },
            yAxis: { type: 'value', minInterval: 1 },
            series: series.map((s) => ({ name: t(`analytics.columns.${s}`), type: s === 'posts' ? 'bar' : 'line', data: overview.daily.map((d) => d[s]) })),
          }}
        />
      </ChartCard>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <ChartCard
          title={t('analytics.charts.channels')}
          csvUrl={analyticsCsvUrl(orgId, 'channels', range)}
          testId="chart-channels"
          table={{
            columns: [
              t('analytics.columns.channel'),
              t('analytics.columns.posts'),
              t('analytics.columns.likes'),
              t('analytics.columns.reposts'),
              t('analytics.columns.engagement'),
              t('analytics.columns.humanClicks'),
              t('analytics.columns.followers'),
              t('analytics.columns.repliesSent'),
            ],
            rows: channels.map((c) => [c.name, c.posts, c.likes, c.reposts, c.engagement, c.humanClicks, numbers.count(c.followers), c.repliesSent]),
          }}
        >
          <EChart
            testId="chart-channels-canvas"
            label={t('analytics.charts.channels')}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0, type: 'scroll', itemGap: 24 },
              grid: { left: 40, right: 16, top: 40, bottom: 30 },
              xAxis: { type: 'category', data: channels.map((c) => c.name) },
              yAxis: { type: 'value', minInterval: 1 },
              series: [
                { name: t('analytics.columns.engagement'), type: 'bar', data: channels.map((c) => c.engagement) },
                { name: t('analytics.columns.humanClicks'), type: 'bar', data: channels.map((c) => c.humanClicks) },
              ],
            }}
          />
        </ChartCard>
        <ChartCard
          title={t('analytics.charts.sentiment')}
          csvUrl={analyticsCsvUrl(orgId, 'overview', range)}
          testId="chart-sentiment"
          note={
            <Text size="xs" c="dimmed" data-testid="sentiment-methods">
              {t('analytics.sentiment.explain')} {methods}
            </Text>
          }
          table={{
            columns: [t('analytics.columns.sentiment'), t('analytics.columns.mentions')],
            rows: SENTIMENTS.map((s) => [t(`analytics.sentiment.${s}`), overview.sentiment[s]]),
          }}
        >
          <EChart
            testId="chart-sentiment-canvas"
            height={200}
            label={t('analytics.charts.sentiment')}
            option={{
              tooltip: {},
              grid: { left: 90, right: 16, top: 10, bottom: 30 },
              xAxis: { type: 'value', minInterval: 1 },
              yAxis: { type: 'category', data: SENTIMENTS.map((s) => t(`analytics.sentiment.${s}`)) },
              series: [{ type: 'bar', data: SENTIMENTS.map((s) => ({ value: overview.sentiment[s], itemStyle: { color: SENTIMENT_COLORS[s] } })) }],
            }}
          />
        </ChartCard>
      </SimpleGrid>
    </>
  );
}
