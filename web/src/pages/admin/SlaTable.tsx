import { Alert, Badge, Loader, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SlaReport } from '../../api/ops.js';
import { describeError } from '../../app/errors.js';
import { useSlaReport } from './admin-queries.js';

type Month = SlaReport['months'][number];

/** The month's weakest component decides what customers are owed. */
const weakest = (month: Month) =>
  month.components.filter((c) => c.percent !== null).sort((a, b) => a.percent! - b.percent! || b.longestOutageMinutes - a.longestOutageMinutes)[0] ?? null;

/** Monthly availability against the SLA target and the credit each month earned, newest month first. */
export function SlaTable() {
  const { t, i18n } = useTranslation();
  const report = useSlaReport();
  const percent = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 3 });
  const monthName = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const minutes = (value: number) => t('admin.minutes', { count: value });
  return (
    <Paper withBorder p="md" radius="md" data-testid="sla-report">
      <Title order={4}>{t('admin.slaTitle')}</Title>
      {report.isPending ? (
        <Loader size="sm" />
      ) : report.isError ? (
        <Alert color="red">{describeError(report.error)}</Alert>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm" data-testid="sla-policy">
            {t('admin.slaPolicy', { target: percent.format(report.data.policy.targetPercent) })}{' '}
            {report.data.policy.credits
              .map((rule) =>
                'whenAvailabilityBelow' in rule
                  ? t('admin.creditBelow', { percent: percent.format(rule.whenAvailabilityBelow), credit: rule.creditPercent })
                  : t('admin.creditOutage', { hours: rule.whenOutageLongerThanHours, credit: rule.creditPercent }),
              )
              .join(t('admin.listSeparator'))}
          </Text>
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing={6} data-testid="sla-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.month')}</Table.Th>
                  <Table.Th ta="right">{t('admin.availability')}</Table.Th>
                  <Table.Th>{t('admin.weakestComponent')}</Table.Th>
                  <Table.Th ta="right">{t('admin.downtime')}</Table.Th>
                  <Table.Th ta="right">{t('admin.longestOutage')}</Table.Th>
                  <Table.Th>{t('admin.target')}</Table.Th>
                  <Table.Th ta="right">{t('admin.credit')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...report.data.months].reverse().map((month) => {
                  const worst = weakest(month);
                  const reasons = month.components.flatMap((c) => c.reasons.map((reason) => `${c.name}: ${reason}`));
                  return (
                    <Table.Tr key={month.month} data-testid="sla-row" data-month={month.month}>
                      <Table.Td>
                        <Text size="sm">
                          {monthName.format(new Date(`${month.month}-01T00:00:00Z`))}
                          {!month.complete && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              {t('admin.monthSoFar')}
                            </Text>
                          )}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{worst ? `${percent.format(worst.percent!)} %` : '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate maw={220}>
                          {worst?.name ?? t('admin.noData')}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{worst ? minutes(worst.downMinutes) : '—'}</Table.Td>
                      <Table.Td ta="right">{worst ? minutes(worst.longestOutageMinutes) : '—'}</Table.Td>
                      <Table.Td>
                        {worst === null ? (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        ) : worst.metTarget ? (
                          <Badge color="teal" variant="light">
                            {t('admin.met')}
                          </Badge>
                        ) : (
                          <Badge color="red" variant="light">
                            {t('admin.missed')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">
                        <Tooltip label={reasons.join(' · ')} disabled={reasons.length === 0} multiline w={320}>
                          <Text
                            size="sm"
                            fw={month.creditPercent > 0 ? 700 : undefined}
                            c={month.creditPercent > 0 ? 'red' : undefined}
                            data-testid="sla-credit"
                          >
                            {month.creditPercent} %
                          </Text>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Paper>
  );
}
