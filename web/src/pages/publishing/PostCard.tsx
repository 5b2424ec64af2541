import { Anchor, Button, Group, Paper, Popover, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../api/channels.js';
import { approvePost, cancelPost, cancelSeriesFrom, deletePost, rejectPost, retryPost, submitPost, type Post } from '../../api/publishing.js';
import { notifySuccess } from '../../app/errors.js';
import { can } from '../../app/permissions.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { StatusBadge, TargetChip } from './post-status.js';
import { useRefreshPosts } from './post-queries.js';

const NOT_STARTED = ['draft', 'scheduled', 'cancelled'];

/** A post with every target's state and the actions its status and the reader's role allow. */
export function PostCard({
  post,
  channels,
  onEdit,
  detailed = false,
  highlighted = false,
}: {
  post: Post;
  channels: Channel[];
  onEdit?: (post: Post) => void;
  detailed?: boolean;
  /** The post a link pointed at (?post=). */
  highlighted?: boolean;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const accountName = (id: string) => {
    const channel = channels.find((c) => c.id === id);
    return channel ? `${channel.displayName} (${channel.handle})` : t('publish.removedAccount');
  };
  const when = post.dueAt ? formatDate(post.dueAt) : t('publish.noTime');
  return (
    <Paper
      withBorder
      radius="sm"
      p="sm"
      style={highlighted ? { borderColor: 'var(--mantine-color-blue-5)', boxShadow: '0 0 0 1px var(--mantine-color-blue-5)' } : undefined}
      data-testid="post-card"
      data-post-id={post.id}
      data-status={post.status}
      data-highlighted={highlighted || undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={8}>
            <StatusBadge status={post.status} />
            <Text size="xs" c="dimmed">
              {when}
              {post.dueAt && post.scheduledLocal && post.timeZone !== Intl.DateTimeFormat().resolvedOptions().timeZone
                ? ` · ${post.scheduledLocal.replace('T', ' ')} ${post.timeZone}`
                : ''}
            </Text>
            {post.campaign && (
              <Text size="xs" c="violet" data-testid="post-campaign">
                #{post.campaign}
              </Text>
            )}
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={detailed ? undefined : 3} data-testid="post-text">
            {post.text}
          </Text>
          {post.reviewComment && (
            <Text size="xs" c={post.status === 'rejected' ? 'pink.8' : 'dimmed'} data-testid="review-comment">
              {t('publish.reviewComment', { comment: post.reviewComment })}
            </Text>
          )}
          {!detailed && (
            <Group gap={10}>
              {post.targets.map((target) => (
                <TargetChip key={target.id} target={target} accountName={accountName(target.channelAccountId)} withLabel linked />
              ))}
            </Group>
          )}
        </Stack>
        <PostActions post={post} onEdit={onEdit} />
      </Group>
      {detailed && <TargetTable post={post} accountName={accountName} />}
      {!detailed &&
        post.targets
          .filter((target) => target.state === 'failed' || target.state === 'retrying')
          .map((target) => (
            <Text key={target.id} size="xs" c={target.state === 'failed' ? 'red' : 'orange.8'} mt={4} data-testid="target-failure">
              {t(`targetState.${target.state}`)} · {accountName(target.channelAccountId)}: {target.failureReason ?? t('publish.noReason')}
              {target.state === 'retrying' && target.nextAttemptAt ? ` · ${t('publish.nextAttempt', { when: formatDate(target.nextAttemptAt) })}` : ''}
            </Text>
          ))}
    </Paper>
  );
}

function TargetTable({ post, accountName }: { post: Post; accountName: (id: string) => string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <Table mt="sm" verticalSpacing={4} fz="xs" data-testid="target-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('publish.account')}</Table.Th>
          <Table.Th>{t('publish.state')}</Table.Th>
          <Table.Th>{t('publish.detail')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {post.targets.map((target) => (
          <Table.Tr key={target.id} data-testid="target-row" data-network={target.network} data-state={target.state}>
            <Table.Td>
              {accountName(target.channelAccountId)}
              {target.body !== post.text && (
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="target-body">
                  {target.body}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <TargetChip target={target} withLabel />
            </Table.Td>
            <Table.Td>
              {target.state === 'published' && target.url ? (
                <Anchor href={target.url} target="_blank" rel="noopener noreferrer" size="xs">
                  {t('publish.viewOnNetwork')} · {formatDate(target.publishedAt)}
                </Anchor>
              ) : target.state === 'published' ? (
                formatDate(target.publishedAt)
              ) : target.failureReason ? (
                <Text span size="xs" c="red">
                  {target.failureReason}
                </Text>
              ) : target.attempts > 0 ? (
                t('publish.attempts', { count: target.attempts })
              ) : (
                ''
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PostActions({ post, onEdit }: { post: Post; onEdit: ((post: Post) => void) | undefined }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshPosts(org.id);
  const canWrite = can(org.role, 'posts.write');
  const canPublish = can(org.role, 'posts.publish');
  // Failures reach the user through the query client's one notification.
  const run = (action: () => Promise<unknown>, done: string) => ({
    mutationFn: action,
    onSuccess: async () => {
      notifySuccess(done);
      await refresh();
    },
  });
  const submit = useMutation(run(() => submitPost(org.id, post.id), t('publish.done.submit')));
  const approve = useMutation(run(() => approvePost(org.id, post.id), t('publish.done.approved')));
  const cancel = useMutation(run(() => cancelPost(org.id, post.id), t('publish.done.cancelled')));
  const retry = useMutation(run(() => retryPost(org.id, post.id), t('publish.done.retried')));
  const cancelSeries = useMutation(run(() => cancelSeriesFrom(org.id, post.id), t('publish.done.cancelled')));
  const remove = useMutation(run(() => deletePost(org.id, post.id), t('publish.done.deleted')));
  const neverStarted = post.targets.every((target) => NOT_STARTED.includes(target.state));
  const hasFailed = post.targets.some((target) => target.state === 'failed');
  const hasPending = post.targets.some((target) => target.state === 'scheduled' || target.state === 'retrying' || target.state === 'draft');
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {(post.status === 'draft' || post.status === 'rejected') && canWrite && onEdit && (
        <Button size="xs" variant="default" onClick={() => onEdit(post)} data-testid="post-edit">
          {t('publish.edit')}
        </Button>
      )}
      {(post.status === 'draft' || post.status === 'rejected') && canWrite && !canPublish && (
        <Button size="xs" variant="light" loading={submit.isPending} onClick={() => submit.mutate()} data-testid="post-submit">
          {t('publish.actions.submit')}
        </Button>
      )}
      {post.status === 'pending_approval' && canPublish && (
        <>
          <Button size="xs" color="teal" loading={approve.isPending} onClick={() => approve.mutate()} data-testid="post-approve">
            {t('publish.approve')}
          </Button>
          <RejectButton post={post} />
        </>
      )}
      {hasFailed && canPublish && (
        <Button size="xs" color="orange" loading={retry.isPending} onClick={() => retry.mutate()} data-testid="post-retry">
          {t('publish.retryFailed')}
        </Button>
      )}
      {post.workflow === 'scheduled' && hasPending && canPublish && (
        <ConfirmButton
          question={t('publish.cancelQuestion')}
          confirmLabel={t('publish.cancelPost')}
          onConfirm={() => cancel.mutate()}
          loading={cancel.isPending}
          data-testid="post-cancel"
        >
          {t('publish.cancelPost')}
        </ConfirmButton>
      )}
      {post.seriesId && post.workflow === 'scheduled' && hasPending && canPublish && (
        <ConfirmButton
          question={t('publish.repeat.cancelQuestion')}
          confirmLabel={t('publish.repeat.cancelRest')}
          onConfirm={() => cancelSeries.mutate()}
          loading={cancelSeries.isPending}
          data-testid="post-cancel-series"
        >
          {t('publish.repeat.cancelRest')}
        </ConfirmButton>
      )}
      {neverStarted && post.workflow !== 'scheduled' && canWrite && (
        <ConfirmButton
          question={t('publish.deleteQuestion')}
          confirmLabel={t('publish.delete')}
          onConfirm={() => remove.mutate()}
          loading={remove.isPending}
          data-testid="post-delete"
        >
          {t('publish.delete')}
        </ConfirmButton>
      )}
    </Group>
  );
}

function RejectButton({ post }: { post: Post }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshPosts(org.id);
  const [opened, setOpened] = useState(false);
  const [comment, setComment] = useState('');
  const reject = useMutation({
    mutationFn: () => rejectPost(org.id, post.id, comment.trim() || undefined),
    onSuccess: async () => {
      setOpened(false);
      notifySuccess(t('publish.done.rejected'));
      await refresh();
    },
  });
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withArrow shadow="md" trapFocus>
      <Popover.Target>
        <Button size="xs" color="pink" variant="light" onClick={() => setOpened((o) => !o)} data-testid="post-reject">
          {t('publish.reject')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown w={320}>
        <Textarea
          label={t('publish.rejectComment')}
          autosize
          minRows={2}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          data-testid="reject-comment"
        />
        <Group justify="flex-end" gap="xs" mt="xs">
          <Button size="xs" variant="default" onClick={() => setOpened(false)}>
            {t('common.cancel')}
          </Button>
          <Button size="xs" color="pink" loading={reject.isPending} onClick={() => reject.mutate()} data-testid="reject-confirm">
            {t('publish.reject')}
          </Button>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
