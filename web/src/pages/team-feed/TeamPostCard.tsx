import { Anchor, Avatar, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Mentionable } from '@core/networks/team.js';
import { attachmentUrl, deleteTeamPost, type TeamGroup, type TeamPost } from '../../api/team-feed.js';
import { notifySuccess } from '../../app/errors.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatBytes, useFormatDate } from '../../components/format.js';
import { MentionText } from './MentionText.js';
import { PaperclipIcon } from './PaperclipIcon.js';
import { TeamPostTaskButton } from './TeamPostTaskButton.js';

const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0]!.toUpperCase())
    .join('');

export function TeamPostCard({
  orgId,
  post,
  group,
  members,
  me,
  onChanged,
}: {
  orgId: string;
  post: TeamPost;
  group: TeamGroup | undefined;
  members: Mentionable[];
  me: string;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const formatBytes = useFormatBytes();
  const remove = useMutation({
    mutationFn: () => deleteTeamPost(orgId, post.id),
    onSuccess: async () => {
      notifySuccess(t('teamFeed.deleted'));
      await onChanged();
    },
  });
  const mentionsMe = post.mentions.some((m) => m.userId === me);
  const author = post.author?.name ?? t('teamFeed.formerMember');
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      data-testid="team-post"
      data-post-id={post.id}
      data-mentions-me={String(mentionsMe)}
      style={mentionsMe ? { borderLeft: '3px solid var(--mantine-color-yellow-5)' } : undefined}
    >
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <Avatar radius="xl" size={34} color="blue">
          {initials(author)}
        </Avatar>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap={6} wrap="wrap" style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} data-testid="team-post-author">
                {author}
              </Text>
              {post.groupId && (
                <Badge size="xs" variant="light" color="grape" tt="none" data-testid="team-post-group">
                  {group?.name ?? t('teamFeed.aGroup')}
                </Badge>
              )}
              <Text size="xs" c="dimmed">
                {formatDate(post.createdAt)}
              </Text>
            </Group>
            <Group gap={4} wrap="nowrap">
              <TeamPostTaskButton post={post} members={members} />
              {post.author?.userId === me && (
                <ConfirmButton
                  question={t('teamFeed.deleteQuestion')}
                  confirmLabel={t('teamFeed.delete')}
                  onConfirm={() => remove.mutate()}
                  loading={remove.isPending}
                  data-testid="team-post-delete"
                >
                  {t('teamFeed.delete')}
                </ConfirmButton>
              )}
            </Group>
          </Group>
          {post.text && <MentionText text={post.text} mentioned={post.mentions.map((m) => m.userId)} members={members} me={me} />}
          {post.attachments.length > 0 && (
            <Stack gap={2}>
              {post.attachments.map((attachment) => (
                // The server always sends these as downloads, never rendered in the page.
                <Anchor key={attachment.id} href={attachmentUrl(orgId, attachment.id)} download={attachment.name} size="sm" data-testid="team-post-attachment">
                  <PaperclipIcon />
                  {attachment.name}{' '}
                  <Text span size="xs" c="dimmed">
                    ({formatBytes(attachment.size)})
                  </Text>
                </Anchor>
              ))}
            </Stack>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
