import { Alert, Box, Button, Group, Loader, Modal, Paper, ScrollArea, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { editPost, type Post } from '../../api/publishing.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { can } from '../../app/permissions.js';
import { browserTimeZone } from '../../components/TimeZoneSelect.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useChannels } from '../channels/channel-queries.js';
import { bucketPosts, canReschedule, dayKey, droppedAt, visibleDays, type CalendarView } from './calendar-grid.js';
import { PostCard } from './PostCard.js';
import { STATUS_COLOR, StatusBadge, TargetChip } from './post-status.js';
import { usePostRange, useRefreshPosts } from './post-queries.js';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const HOUR_HEIGHT = 44;

/** The week view opens at 07:00, where the working day starts. */
const startAtMorning = (node: HTMLDivElement | null): void => {
  if (node && node.scrollTop === 0) node.scrollTop = HOUR_HEIGHT * 7;
};

/** Calendar: the posts of a week or a month by due time; drag a scheduled post to move it. */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { org } = useCurrentOrg();
  const zone = browserTimeZone();
  const [view, setView] = useState<CalendarView>('week');
  const [anchor, setAnchor] = useState(() => DateTime.now().setZone(zone));
  const [account, setAccount] = useState<string | null>(null);
  const [campaign, setCampaign] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [dragging, setDragging] = useState<Post | null>(null);
  const channels = useChannels(org.id);
  const accounts = channels.data?.channels ?? [];
  const { days, from, to } = visibleDays(view, anchor.setLocale(i18n.language));
  const posts = usePostRange(org.id, {
    from: from.toISO()!,
    to: to.toISO()!,
    ...(account ? { channelAccountId: account } : {}),
    ...(campaign.trim() ? { campaign: campaign.trim() } : {}),
  });
  const buckets = bucketPosts(posts.data ?? [], zone);
  const refresh = useRefreshPosts(org.id);
  const mayPublish = can(org.role, 'posts.publish');
  const mayWrite = can(org.role, 'posts.write');

  const move = useMutation({
    mutationFn: ({ post, day, hour }: { post: Post; day: DateTime; hour: number | null }) =>
      editPost(org.id, post.id, { scheduledAt: droppedAt(post, day, hour) }),
    onSuccess: async (post) => {
      notifySuccess(
        t('calendar.moved', {
          when: post.dueAt ? DateTime.fromISO(post.dueAt).setZone(zone).setLocale(i18n.language).toLocaleString(DateTime.DATETIME_MED) : '',
        }),
      );
      await refresh();
    },
    // The query client notifies the refusal; the grid goes back to what the server has.
    onError: () => refresh(),
  });

  const dropTarget = (day: DateTime, hour: number | null) => ({
    onDragOver: (e: DragEvent) => {
      if (dragging) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      const post = dragging;
      setDragging(null);
      if (post) move.mutate({ post, day, hour });
    },
  });

  const chip = (post: Post, compact: boolean) => {
    const movable = canReschedule(post, mayPublish, mayWrite);
    const due = DateTime.fromISO(post.dueAt!).setZone(zone);
    const color = STATUS_COLOR[post.status];
    return (
      <Box
        key={post.id}
        draggable={movable}
        onDragStart={(e: DragEvent) => {
          e.dataTransfer.setData('text/plain', post.id);
          e.dataTransfer.effectAllowed = 'move';
          setDragging(post);
        }}
        onDragEnd={() => setDragging(null)}
        onClick={() => setOpenId(post.id)}
        data-testid="calendar-post"
        data-post-id={post.id}
        data-status={post.status}
        data-movable={String(movable)}
        title={post.text}
        style={{
          cursor: movable ? 'grab' : 'pointer',
          background: `var(--mantine-color-${color}-light)`,
          borderLeft: `3px solid var(--mantine-color-${color}-filled)`,
          borderRadius: 4,
          padding: '2px 4px',
          marginBottom: 2,
          opacity: move.isPending && move.variables?.post.id === post.id ? 0.5 : 1,
        }}
      >
        <Group gap={4} wrap="nowrap">
          <Text size="xs" fw={600}>
            {due.toFormat('HH:mm')}
          </Text>
          {post.targets.map((target) => (
            <TargetChip key={target.id} target={target} accountName={accounts.find((c) => c.id === target.channelAccountId)?.displayName} linked />
          ))}
        </Group>
        {/* The text is the tile's button, so a live post's link beside it is not nested in a control. */}
        <Text
          size="xs"
          lineClamp={compact ? 1 : 2}
          style={{ overflowWrap: 'anywhere' }}
          role="button"
          tabIndex={0}
          onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setOpenId(post.id)}
          data-testid="calendar-post-open"
        >
          {post.text}
        </Text>
      </Box>
    );
  };

  const today = dayKey(DateTime.now().setZone(zone));
  const title =
    view === 'week'
      ? `${days[0]!.toLocaleString(DateTime.DATE_MED)} – ${days[6]!.toLocaleString(DateTime.DATE_MED)}`
      : anchor.setLocale(i18n.language).toLocaleString({ year: 'numeric', month: 'long' });
  const step = view === 'week' ? { weeks: 1 } : { months: 1 };
  const open = posts.data?.find((p) => p.id === openId) ?? null;

  return (
    <Stack gap="md" data-testid="page-calendar">
      <div>
        <Title order={2}>{t('calendar.title')}</Title>
        <Text c="dimmed" size="sm" maw={760}>
          {t('calendar.intro')}
        </Text>
      </div>
      <Group justify="space-between" align="flex-end">
        <Group gap="xs" align="flex-end">
          <Button.Group>
            <Button variant="default" onClick={() => setAnchor((a) => a.minus(step))} aria-label={t('calendar.previous')} data-testid="calendar-prev">
              ‹
            </Button>
            <Button variant="default" onClick={() => setAnchor(DateTime.now().setZone(zone))} data-testid="calendar-today">
              {t('calendar.today')}
            </Button>
            <Button variant="default" onClick={() => setAnchor((a) => a.plus(step))} aria-label={t('calendar.next')} data-testid="calendar-next">
              ›
            </Button>
          </Button.Group>
          <Title order={4} data-testid="calendar-range">
            {title}
          </Title>
          {posts.isFetching && <Loader size="xs" />}
        </Group>
        <Group gap="sm" align="flex-end">
          <Select
            label={t('calendar.account')}
            placeholder={t('calendar.allAccounts')}
            data={accounts.map((c) => ({ value: c.id, label: `${c.displayName} (${c.handle})` }))}
            value={account}
            onChange={setAccount}
            clearable
            w={240}
            data-testid="calendar-account"
          />
          <TextInput
            label={t('calendar.campaign')}
            placeholder={t('calendar.allCampaigns')}
            value={campaign}
            onChange={(e) => setCampaign(e.currentTarget.value)}
            w={180}
            data-testid="calendar-campaign"
          />
          <SegmentedControl
            value={view}
            onChange={(value) => setView(value as CalendarView)}
            data={[
              { value: 'week', label: t('calendar.week') },
              { value: 'month', label: t('calendar.month') },
            ]}
            data-testid="calendar-view"
          />
        </Group>
      </Group>
      {posts.isError && <Alert color="red">{describeError(posts.error)}</Alert>}
      <Text size="xs" c="dimmed">
        {t('calendar.zoneNote', { zone })} {mayPublish || mayWrite ? t('calendar.dragHint') : ''}
      </Text>

      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <div
          style={{
            display: 'grid',
            gridTemplateColumns: view === 'week' ? '48px repeat(7, minmax(0, 1fr))' : 'repeat(7, minmax(0, 1fr))',
            borderBottom: '1px solid var(--mantine-color-gray-3)',
          }}
        >
          {view === 'week' && <div />}
          {days.slice(0, 7).map((day) => (
            <Text key={day.toISO()} size="xs" fw={600} ta="center" py={6} c={view === 'week' && dayKey(day) === today ? 'blue' : undefined}>
              {view === 'week' ? day.toFormat('ccc d') : day.toFormat('ccc')}
            </Text>
          ))}
        </div>
        {view === 'month' ? (
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))' }} data-testid="calendar-month">
            {days.map((day) => (
              <div
                key={day.toISO()}
                {...dropTarget(day, null)}
                data-testid={`month-cell-${dayKey(day)}`}
                style={{
                  minHeight: 110,
                  padding: 4,
                  borderRight: '1px solid var(--mantine-color-gray-2)',
                  borderBottom: '1px solid var(--mantine-color-gray-2)',
                  background: day.month !== anchor.month ? 'var(--mantine-color-gray-0)' : dragging ? 'var(--mantine-color-blue-0)' : undefined,
                }}
              >
                <Text size="xs" c={dayKey(day) === today ? 'blue' : day.month !== anchor.month ? 'dimmed' : undefined} fw={dayKey(day) === today ? 700 : 400}>
                  {day.day}
                </Text>
                {(buckets.get(dayKey(day)) ?? []).map((post) => chip(post, true))}
              </div>
            ))}
          </div>
        ) : (
          // Focusable and named: a week with no post in it has nothing else to reach by keyboard, and it scrolls.
          <ScrollArea
            h={620}
            data-testid="calendar-week"
            viewportRef={startAtMorning}
            viewportProps={{ tabIndex: 0, role: 'region', 'aria-label': t('calendar.weekRegion') }}
          >
            <div style={{ display: 'grid', gridTemplateColumns: '48px repeat(7, minmax(0, 1fr))' }}>
              {HOURS.map((hour) => (
                <div key={hour} style={{ display: 'contents' }}>
                  <div style={{ minHeight: HOUR_HEIGHT, borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                    <Text size="xs" c="dimmed" ta="right" pr={6}>
                      {String(hour).padStart(2, '0')}:00
                    </Text>
                  </div>
                  {days.map((day) => (
                    <div
                      key={day.toISO()}
                      {...dropTarget(day, hour)}
                      data-testid={`week-cell-${dayKey(day)}-${String(hour).padStart(2, '0')}`}
                      style={{
                        minHeight: HOUR_HEIGHT,
                        padding: 2,
                        borderLeft: '1px solid var(--mantine-color-gray-2)',
                        borderBottom: '1px solid var(--mantine-color-gray-2)',
                        background: dayKey(day) === today ? 'var(--mantine-color-blue-0)' : undefined,
                      }}
                    >
                      {(buckets.get(`${dayKey(day)}T${String(hour).padStart(2, '0')}`) ?? []).map((post) => chip(post, false))}
                    </div>
                  ))}
                </div>
              ))}
            </div>
          </ScrollArea>
        )}
      </Paper>
      <Group gap="xs" data-testid="calendar-legend">
        {(['scheduled', 'publishing', 'published', 'partially_published', 'failed', 'pending_approval'] as const).map((status) => (
          <StatusBadge key={status} status={status} />
        ))}
      </Group>

      <Modal opened={open !== null} onClose={() => setOpenId(null)} title={t('calendar.postTitle')} size="lg" data-testid="calendar-post-modal">
        {open && <PostCard post={open} channels={accounts} detailed />}
      </Modal>
    </Stack>
  );
}
