import { ActionIcon, Alert, Button, Group, Loader, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../api/channels.js';
import { getQueue, setQueue, type Queue, type QueueSlot } from '../../api/publishing.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { can } from '../../app/permissions.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { TimeZoneSelect } from '../../components/TimeZoneSelect.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { inWeekOrder } from './suggested-slots.js';
import { SuggestedSlots } from './SuggestedSlots.js';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

/** One account's weekly posting times ("Add to queue" takes the next free one) and the best hours it does not have yet. */
export function QueueEditor({ accounts }: { accounts: Channel[] }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const [accountId, setAccountId] = useState<string | null>(accounts[0]?.id ?? null);
  const queue = useQuery({ queryKey: ['org', org.id, 'queue', accountId], queryFn: () => getQueue(org.id, accountId!), enabled: accountId !== null });
  if (accounts.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" data-testid="queue-editor">
      <Title order={4} mb={4}>
        {t('queue.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('queue.intro')}
      </Text>
      <Select
        label={t('queue.account')}
        data={accounts.map((c) => ({ value: c.id, label: `${c.displayName} (${c.handle})` }))}
        value={accountId}
        onChange={setAccountId}
        allowDeselect={false}
        maw={360}
        mb="sm"
        data-testid="queue-account"
        leftSection={accounts.find((c) => c.id === accountId) ? <NetworkIcon network={accounts.find((c) => c.id === accountId)!.network} size={16} /> : null}
      />
      {queue.isPending ? (
        <Loader size="sm" />
      ) : queue.isError ? (
        <Alert color="red">{describeError(queue.error)}</Alert>
      ) : (
        <SlotsForm key={accountId} queue={queue.data} canEdit={can(org.role, 'posts.publish')} />
      )}
    </Paper>
  );
}

function SlotsForm({ queue, canEdit }: { queue: Queue; canEdit: boolean }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const [zone, setZone] = useState(queue.slots.length ? queue.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [slots, setSlots] = useState<QueueSlot[]>(queue.slots);
  const [weekday, setWeekday] = useState('1');
  const [time, setTime] = useState('09:00');
  const dayName = (weekday: number) => t(`weekdays.${weekday}`);
  const saved = (answer: Queue) => {
    queryClient.setQueryData(['org', org.id, 'queue', queue.channelAccountId], answer);
    setSlots(answer.slots);
  };
  const save = useMutation({
    mutationFn: () => setQueue(org.id, queue.channelAccountId, { timeZone: zone, slots }),
    onSuccess: (answer) => {
      notifySuccess(t('queue.saved'));
      saved(answer);
    },
  });
  // One click: the editor's queue with the suggested slot, saved through the same PUT as "Save".
  const addSuggested = useMutation({
    mutationFn: (slot: QueueSlot) => setQueue(org.id, queue.channelAccountId, { timeZone: zone, slots: inWeekOrder([...slots, slot]) }),
    onSuccess: (answer, slot) => {
      notifySuccess(t('queue.suggestedAdded', { day: dayName(slot.weekday), time: slot.time }));
      saved(answer);
    },
  });
  const add = () => {
    if (!/^\d\d:\d\d$/.test(time)) return;
    const slot = { weekday: Number(weekday), time };
    setSlots((current) => (current.some((s) => s.weekday === slot.weekday && s.time === slot.time) ? current : inWeekOrder([...current, slot])));
  };
  return (
    <Stack gap="sm">
      <Table withColumnBorders verticalSpacing={4} data-testid="queue-slots">
        <Table.Thead>
          <Table.Tr>
            {WEEKDAYS.map((day) => (
              <Table.Th key={day} ta="center">
                {dayName(day)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            {WEEKDAYS.map((day) => (
              <Table.Td key={day} valign="top">
                <Stack gap={2} align="center">
                  {slots
                    .filter((s) => s.weekday === day)
                    .map((s) => (
                      <Group key={s.time} gap={2} wrap="nowrap" data-testid="queue-slot">
                        <Text size="sm">{s.time}</Text>
                        {canEdit && (
                          <ActionIcon
                            size="xs"
                            variant="subtle"
                            color="gray"
                            aria-label={t('queue.removeSlot', { day: dayName(day), time: s.time })}
                            onClick={() => setSlots((current) => current.filter((c) => c !== s))}
                          >
                            ×
                          </ActionIcon>
                        )}
                      </Group>
                    ))}
                </Stack>
              </Table.Td>
            ))}
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {slots.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('queue.empty')}
        </Text>
      )}
      <SuggestedSlots
        orgId={org.id}
        channelAccountId={queue.channelAccountId}
        timeZone={zone}
        slots={slots}
        onAdd={canEdit ? (slot) => addSuggested.mutate(slot) : undefined}
        adding={addSuggested.isPending}
      />
      {canEdit ? (
        <Group gap="sm" align="flex-end">
          <Select
            label={t('queue.weekday')}
            data={WEEKDAYS.map((d) => ({ value: String(d), label: dayName(d) }))}
            value={weekday}
            onChange={(v) => v && setWeekday(v)}
            allowDeselect={false}
            w={130}
          />
          <TextInput type="time" label={t('publish.time')} value={time} onChange={(e) => setTime(e.currentTarget.value)} w={120} data-testid="queue-time" />
          <Button variant="default" onClick={add} data-testid="queue-add">
            {t('queue.add')}
          </Button>
          <TimeZoneSelect label={t('publish.timeZone')} value={zone} onChange={setZone} testId="queue-zone" />
          <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="queue-save">
            {t('common.save')}
          </Button>
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          {t('queue.readOnly', { zone: queue.timeZone })}
        </Text>
      )}
    </Stack>
  );
}
