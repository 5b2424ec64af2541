import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { QueueSlot } from '../../api/publishing.js';
import { describeError } from '../../app/errors.js';
import { useBestTimes } from '../analytics/analytics-queries.js';
import { slotSuggestions, type SlotSuggestion } from './suggested-slots.js';

/**
 * The account's best hours to post (Analytics → best time) that the queue does not have yet, each
 * with why and, for those who may change the queue, a one-click add.
 */
export function SuggestedSlots({
  orgId,
  channelAccountId,
  timeZone,
  slots,
  onAdd,
  adding,
}: {
  orgId: string;
  channelAccountId: string;
  timeZone: string;
  slots: QueueSlot[];
  /** Absent: the viewer may not change the queue. */
  onAdd: ((slot: QueueSlot) => void) | undefined;
  adding: boolean;
}) {
  const { t } = useTranslation();
  const best = useBestTimes(orgId, channelAccountId);
  if (best.isPending) return null;
  if (best.isError)
    return (
      <Text size="sm" c="red">
        {describeError(best.error)}
      </Text>
    );
  const suggestions = slotSuggestions(best.data, { timeZone, slots }, new Date());
  const note = best.data.suggested.length === 0 ? t('queue.notEnoughHistory') : suggestions.length === 0 ? t('queue.allSuggestedQueued') : null;
  return (
    <Stack gap={6} data-testid="queue-suggestions">
      <Text size="sm" fw={500}>
        {t('queue.suggestedTitle')}
      </Text>
      {note ? (
        <Text size="sm" c="dimmed" data-testid="queue-suggestions-note">
          {note}
        </Text>
      ) : (
        suggestions.map((s) => <Suggestion key={`${s.weekday}-${s.time}`} suggestion={s} onAdd={onAdd} adding={adding} />)
      )}
    </Stack>
  );
}

function Suggestion({ suggestion: s, onAdd, adding }: { suggestion: SlotSuggestion; onAdd: ((slot: QueueSlot) => void) | undefined; adding: boolean }) {
  const { t } = useTranslation();
  const day = t(`weekdays.${s.weekday}`);
  const average = Number.isInteger(s.averageEngagement) ? String(s.averageEngagement) : s.averageEngagement.toFixed(1);
  return (
    <Group gap="sm" wrap="nowrap" data-testid="queue-suggestion" data-slot={`${s.weekday} ${s.time}`}>
      <Badge variant="filled" color="teal.9" size="sm">
        {t('queue.suggested')}
      </Badge>
      <Text size="sm" fw={600} miw={80}>
        {day} {s.time}
      </Text>
      <Text size="xs" c="dimmed" style={{ flex: 1 }}>
        {s.posts === 1 ? t('queue.suggestedWhyOne', { average }) : t('queue.suggestedWhy', { average, posts: s.posts })}
      </Text>
      {onAdd && (
        <Button
          size="xs"
          variant="light"
          loading={adding}
          onClick={() => onAdd({ weekday: s.weekday, time: s.time })}
          aria-label={t('queue.addSuggestedLabel', { day, time: s.time })}
          data-testid="queue-add-suggested"
        >
          {t('queue.addSuggested')}
        </Button>
      )}
    </Group>
  );
}
