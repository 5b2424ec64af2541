import { Avatar, Badge, Box, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConversationView } from '../../api/inbox.js';
import type { Member } from '../../api/types.js';
import { useFormatDate } from '../../components/format.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { SlaBadge } from './SlaBadge.js';

/** The conversations of the current view; the selected one is marked, j/k move through them (InboxPage). */
export function ConversationList({
  conversations,
  selectedId,
  members,
  onSelect,
}: {
  conversations: ConversationView[];
  selectedId: string | null;
  members: Member[];
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const nameOf = (userId: string | null) => members.find((m) => m.userId === userId)?.name ?? null;
  return (
    <Stack gap={6} data-testid="conversation-list">
      {conversations.map((conversation) => {
        const selected = conversation.id === selectedId;
        const assignee = nameOf(conversation.assigneeUserId);
        return (
          <Paper
            key={conversation.id}
            withBorder
            radius="sm"
            p="xs"
            onClick={() => onSelect(conversation.id)}
            style={{
              cursor: 'pointer',
              borderColor: selected ? 'var(--mantine-color-blue-5)' : undefined,
              background: selected ? 'var(--mantine-color-blue-0)' : undefined,
            }}
            data-testid="conversation-row"
            data-conversation-id={conversation.id}
            data-selected={String(selected)}
            data-status={conversation.status}
            aria-current={selected ? 'true' : undefined}
          >
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <Avatar src={null} radius="xl" size={32} color="blue">
                {(conversation.author.displayName || conversation.author.handle).slice(0, 1).toUpperCase()}
              </Avatar>
              <Box style={{ minWidth: 0, flex: 1 }}>
                <Group gap={6} wrap="nowrap" justify="space-between">
                  <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
                    <NetworkIcon network={conversation.network} size={14} />
                    <Text size="sm" fw={conversation.status === 'open' ? 700 : 500} truncate>
                      {conversation.author.displayName || conversation.author.handle}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                    {formatDate(conversation.lastMessageAt)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }} data-testid="conversation-preview">
                  {conversation.preview}
                </Text>
                <Group gap={4} mt={4}>
                  <Badge
                    size="xs"
                    variant="light"
                    color={conversation.status === 'open' ? 'blue' : conversation.status === 'pending' ? 'yellow' : 'gray'}
                    data-testid="conversation-status"
                  >
                    {t(`inbox.status.${conversation.status}`)}
                  </Badge>
                  <SlaBadge sla={conversation.sla} />
                  {assignee && (
                    <Badge size="xs" variant="outline" color="gray" data-testid="conversation-assignee">
                      {assignee}
                    </Badge>
                  )}
                  {conversation.tags.map((tag) => (
                    <Badge key={tag} size="xs" variant="light" color="grape">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              </Box>
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
