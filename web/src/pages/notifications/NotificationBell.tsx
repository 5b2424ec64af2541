import { ActionIcon, Box, Button, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { markRead, type AppNotification } from '../../api/notifications.js';
import { useFormatDate } from '../../components/format.js';
import { BellIcon } from '../../components/icons.js';
import { useInboxEvents } from '../inbox/inbox-live.js';
import { useNotifications, useRefreshNotifications } from './notification-queries.js';

/** The header's bell: unread count, the latest notifications, and where each one leads. */
export function NotificationBell({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  // Live: the unread count follows the server (assignments, mentions, new conversations, SLA warnings).
  useInboxEvents(orgId);
  const notifications = useNotifications(orgId);
  const refresh = useRefreshNotifications(orgId);
  const read = useMutation({ mutationFn: (which: { ids: string[] } | { all: true }) => markRead(orgId, which), onSuccess: refresh });
  const unread = notifications.data?.unread ?? 0;
  const list = notifications.data?.notifications ?? [];
  const open = (notification: AppNotification) => {
    setOpened(false);
    if (!notification.read) read.mutate({ ids: [notification.id] });
    // Links are the server's own in-app paths; anything else is not followed.
    if (notification.link?.startsWith('/') && !notification.link.startsWith('//')) void navigate(notification.link);
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" withArrow>
      {/* The button, not the badge around it, is the popover's target: it carries aria-expanded. */}
      <Indicator
        label={unread > 99 ? '99+' : unread}
        size={16}
        color="red"
        disabled={unread === 0}
        offset={4}
        data-testid="notifications-unread"
        data-count={unread}
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={t('notifications.open', { count: unread })}
            data-testid="notifications-bell"
          >
            <BellIcon size={20} />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p={0} data-testid="notifications-dropdown">
        <Group justify="space-between" px="sm" py={8}>
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={unread === 0}
            loading={read.isPending}
            onClick={() => read.mutate({ all: true })}
            data-testid="notifications-mark-all"
          >
            {t('notifications.markAll')}
          </Button>
        </Group>
        <Divider />
        {list.length === 0 ? (
          <Text size="sm" c="dimmed" p="sm" data-testid="notifications-empty">
            {t('notifications.none')}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420}>
            <Stack gap={0}>
              {list.map((notification) => (
                <NotificationItem key={notification.id} notification={notification} onOpen={open} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

function NotificationItem({ notification, onOpen }: { notification: AppNotification; onOpen: (n: AppNotification) => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  // Known kinds are worded in the reader's language; the server's title stands for the rest.
  const title = t(`notifications.kinds.${notification.kind}`, { defaultValue: notification.title });
  return (
    <UnstyledButton
      onClick={() => onOpen(notification)}
      px="sm"
      py={8}
      bg={notification.read ? undefined : 'blue.0'}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      data-testid="notification-item"
      data-kind={notification.kind}
      data-read={String(notification.read)}
    >
      <Group gap={8} wrap="nowrap" align="flex-start">
        <Box w={8} h={8} mt={6} style={{ borderRadius: 4, flexShrink: 0 }} bg={notification.read ? 'transparent' : 'blue.6'} />
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={notification.read ? 400 : 600}>
            {title}
          </Text>
          {notification.body && (
            <Text size="sm" c="dimmed" lineClamp={3} style={{ overflowWrap: 'anywhere' }} data-testid="notification-body">
              {notification.body}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {formatDate(notification.createdAt)}
          </Text>
        </div>
      </Group>
    </UnstyledButton>
  );
}
