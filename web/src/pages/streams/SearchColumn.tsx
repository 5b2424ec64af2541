import { Alert, Box, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { addColumn } from '../../api/streams.js';
import type { Member } from '../../api/types.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { ItemCard } from './ItemCard.js';
import { COLUMN_HEIGHT, OlderItems } from './StreamColumn.js';
import { WIDTH_PX } from './stream-kinds.js';
import { useRefreshBoards, useSearch } from './stream-queries.js';

/** Results of a search across everything Chorus has stored, until closed or kept as a column. */
export function SearchColumn({ query, boardId, members, onClose }: { query: string; boardId: string | null; members: Member[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const results = useSearch(org.id, query);
  const refreshBoards = useRefreshBoards(org.id);
  const keep = useIntentMutation({
    mutationFn: (_: void, intent) => addColumn(org.id, boardId!, { kind: 'saved_search', target: query }, intent.key()),
    onSuccess: async () => {
      notifySuccess(t('streams.search.saved', { query }));
      await refreshBoards();
      onClose();
    },
  });
  const items = results.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper
      withBorder
      radius="md"
      w={WIDTH_PX.normal}
      miw={WIDTH_PX.normal}
      style={{ display: 'flex', flexDirection: 'column', height: COLUMN_HEIGHT, borderColor: 'var(--mantine-color-blue-4)' }}
      data-testid="search-column"
    >
      <Box px="xs" py={6} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" wrap="nowrap" gap={4}>
          <Text fw={600} size="sm" truncate>
            {t('streams.search.resultsFor', { query })}
          </Text>
          <Button size="compact-xs" variant="subtle" color="gray" onClick={onClose} aria-label={t('streams.search.close')} data-testid="search-close">
            ✕
          </Button>
        </Group>
        <Group justify="space-between" gap={4}>
          <Text size="xs" c="dimmed">
            {t('streams.column.acrossEverything')}
          </Text>
          {boardId && (
            <Button size="compact-xs" variant="light" loading={keep.isPending} onClick={() => keep.mutate()} data-testid="search-keep">
              {t('streams.search.keep')}
            </Button>
          )}
        </Group>
      </Box>
      <Box p={6} style={{ flex: 1, minHeight: 0, overflowY: 'auto' }} data-testid="search-results">
        {results.isPending ? (
          <Loader size="sm" m="sm" />
        ) : results.isError && !results.data ? (
          <Alert color="red" variant="light" title={t('streams.search.failed')}>
            {describeError(results.error)}
          </Alert>
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs" data-testid="search-empty">
            {t('streams.search.none', { query })}
          </Text>
        ) : (
          <Stack gap={6}>
            {items.map((item) => (
              <ItemCard key={item.id} item={item} columnId={null} accountId={null} members={members} fresh={false} tracksReading={false} />
            ))}
            <OlderItems
              hasMore={results.hasNextPage}
              loading={results.isFetchingNextPage}
              error={results.isFetchNextPageError ? results.error : null}
              onMore={() => void results.fetchNextPage()}
            />
          </Stack>
        )}
      </Box>
    </Paper>
  );
}
