import { Anchor, Group, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface TableData {
  columns: string[];
  rows: (string | number)[][];
}

/**
 * A chart with its numbers: the CSV the server writes for it, and the same numbers as a table
 * (screen readers, printing, copying) behind a disclosure.
 */
export function ChartCard({
  title,
  csvUrl,
  table,
  children,
  testId,
  note,
}: {
  title: string;
  csvUrl: string;
  table: TableData;
  children: ReactNode;
  testId: string;
  note?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId} className="analytics-card">
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h4">
            {title}
          </Title>
          <Anchor href={csvUrl} download size="sm" className="analytics-no-print" data-testid={`${testId}-csv`}>
            {t('analytics.csv')}
          </Anchor>
        </Group>
        {note}
        {children}
        <details className="analytics-table" data-testid={`${testId}-table`}>
          <summary>
            <Text span size="sm" c="dimmed">
              {t('analytics.showTable')}
            </Text>
          </summary>
          <ScrollArea>
            <Table striped withTableBorder fz="xs" captionSide="top">
              <Table.Caption>{title}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  {table.columns.map((column) => (
                    <Table.Th key={column} scope="col">
                      {column}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {table.rows.map((row, i) => (
                  <Table.Tr key={i}>
                    {row.map((cell, j) => (
                      <Table.Td key={j}>{cell}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </details>
      </Stack>
    </Paper>
  );
}
