import { Alert, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/errors.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { ItemCard } from '../streams/ItemCard.js';
import { OlderItems } from '../streams/StreamColumn.js';
import { useMembers } from '../teams/team-queries.js';
import { useContactTimeline } from './contact-queries.js';

/** Everything Chorus has stored from any of the contact's identities, newest first, as the streams show it. */
export function ContactTimeline({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const timeline = useContactTimeline(org.id, contactId);
  const members = useMembers(org.id);
  const items = timeline.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Paper withBorder radius="md" p="md" data-testid="contact-timeline">
      <Title order={5} mb="xs">
        {t('contacts.timeline.title')}
      </Title>
      {timeline.isPending ? (
        <Loader size="sm" />
      ) : timeline.isError && !timeline.data ? (
        <Alert color="red" variant="light" title={t('contacts.timeline.failed')}>
          {describeError(timeline.error)}
        </Alert>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="contact-timeline-empty">
          {t('contacts.timeline.empty')}
        </Text>
      ) : (
        <Stack gap={6}>
          {/* Outside a column: no account to reply through and no read/done state of a column. */}
          {items.map((item) => (
            <ItemCard
              key={item.id}
              item={item}
              columnId={null}
              accountId={null}
              members={members.data ?? []}
              fresh={false}
              tracksReading={false}
              offersAddContact={false}
            />
          ))}
          <OlderItems
            hasMore={timeline.hasNextPage}
            loading={timeline.isFetchingNextPage}
            error={timeline.isFetchNextPageError ? timeline.error : null}
            onMore={() => void timeline.fetchNextPage()}
            endLabel={t('contacts.timeline.end')}
          />
        </Stack>
      )}
    </Paper>
  );
}
