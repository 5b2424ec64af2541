import { Badge, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Overview } from '../../api/analytics.js';
import { useNumbers } from './number-format.js';

type Measure = 'postsPublished' | 'engagement' | 'engagementRate' | 'humanClicks' | 'botClicks' | 'followerGrowth' | 'mentions' | 'newContacts';
const MEASURES: Measure[] = ['postsPublished', 'engagement', 'engagementRate', 'humanClicks', 'followerGrowth', 'mentions', 'newContacts', 'botClicks'];

/** One card per measure: this period, and the change from the period before. */
export function OverviewCards({ overview }: { overview: Overview }) {
  const { t } = useTranslation();
  const numbers = useNumbers();
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="analytics-overview">
      {MEASURES.map((measure) => {
        const { current, previous } = overview[measure];
        const show = measure === 'engagementRate' ? numbers.percent : numbers.count;
        const change = current !== null && previous !== null ? current - previous : null;
        return (
          <Paper key={measure} withBorder p="sm" radius="md" data-testid={`kpi-${measure}`}>
            <Text size="xs" c="dimmed">
              {t(`analytics.measures.${measure}`)}
            </Text>
            <Text fw={700} size="xl" data-testid={`kpi-${measure}-value`}>
              {show(current)}
            </Text>
            <Group gap={4}>
              <Text size="xs" c="dimmed">
                {t('analytics.previous', { value: show(previous) })}
              </Text>
              {change !== null && change !== 0 && (
                <Badge size="xs" variant="light" color={(measure === 'botClicks' ? -change : change) > 0 ? 'teal' : 'red'}>
                  {change > 0 ? '+' : ''}
                  {show(change)}
                </Badge>
              )}
            </Group>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
