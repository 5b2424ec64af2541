import { Anchor, Paper, ScrollArea, Select, Group, Table, Title, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { analyticsCsvUrl, type PostSort } from '../../api/analytics.js';
import { useFormatDate } from '../../components/format.js';
import { usePostReport } from './analytics-queries.js';
import { useNumbers } from './number-format.js';

const SORTS: PostSort[] = ['engagement', 'likes', 'reposts', 'replies', 'humanClicks', 'publishedAt'];

/** The range's posts, best first by the chosen measure. */
export function TopPosts({ orgId, from, to }: { orgId: string; from: string; to: string }) {
  const { t } = useTranslation();
  const numbers = useNumbers();
  const formatDate = useFormatDate();
  const [sort, setSort] = useState<PostSort>('engagement');
  const posts = usePostReport(orgId, from, to, sort);
  return (
    <Paper withBorder p="md" radius="md" data-testid="top-posts" className="analytics-card">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Title order={3} size="h4">
          {t('analytics.topPosts')}
        </Title>
        <Group gap="sm" align="flex-end">
          <Select
            size="xs"
            w={200}
            label={t('analytics.sortBy')}
            data={SORTS.map((s) => ({ value: s, label: t(`analytics.columns.${s}`) }))}
            value={sort}
            onChange={(v) => v && setSort(v as PostSort)}
            allowDeselect={false}
            data-testid="top-posts-sort"
            className="analytics-no-print"
          />
          <Anchor href={analyticsCsvUrl(orgId, 'posts', { from, to, sort })} download size="sm" className="analytics-no-print" data-testid="top-posts-csv">
            {t('analytics.csv')}
          </Anchor>
        </Group>
      </Group>
      {posts.data && posts.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('analytics.noPosts')}
        </Text>
      ) : (
        <ScrollArea>
          <Table striped fz="xs" data-testid="top-posts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('analytics.columns.post')}</Table.Th>
                <Table.Th>{t('analytics.columns.publishedAt')}</Table.Th>
                <Table.Th>{t('analytics.columns.likes')}</Table.Th>
                <Table.Th>{t('analytics.columns.reposts')}</Table.Th>
                <Table.Th>{t('analytics.columns.replies')}</Table.Th>
                <Table.Th>{t('analytics.columns.views')}</Table.Th>
                <Table.Th>{t('analytics.columns.humanClicks')}</Table.Th>
                <Table.Th>{t('analytics.columns.botClicks')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(posts.data ?? []).map((p) => (
                <Table.Tr key={p.postId}>
                  <Table.Td maw={360}>
                    <Text size="xs" lineClamp={2}>
                      {p.remoteUrls[0] ? (
                        <Anchor href={p.remoteUrls[0]} target="_blank" rel="noreferrer" size="xs">
                          {p.text}
                        </Anchor>
                      ) : (
                        p.text
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDate(p.publishedAt)}</Table.Td>
                  <Table.Td>{numbers.count(p.likes)}</Table.Td>
                  <Table.Td>{numbers.count(p.reposts)}</Table.Td>
                  <Table.Td>{numbers.count(p.replies)}</Table.Td>
                  <Table.Td>{numbers.count(p.views)}</Table.Td>
                  <Table.Td>{numbers.count(p.humanClicks)}</Table.Td>
                  <Table.Td>{numbers.count(p.botClicks)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}
