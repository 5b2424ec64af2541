import { Anchor, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { getPost, type Post, type Target } from '../../api/publishing.js';
import { useFormatDate } from '../../components/format.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { postsKey } from './post-queries.js';

const UNDER_WAY = new Set<Target['state']>(['publishing', 'retrying']);
/** How long a "publish now" is followed before the report stops asking (the lists keep the truth). */
const FOLLOW_MS = 60_000;

/**
 * What became of a post just sent, one line per network: "Posted to Bluesky · View", still
 * publishing, scheduled, waiting for approval, or why it failed. Follows a "publish now" until
 * every account has answered.
 */
export function SendReport({ orgId, post, sentAt }: { orgId: string; post: Post; sentAt: number }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const followed = useQuery({
    queryKey: ['orgs', orgId, 'send-report', post.id],
    queryFn: () => getPost(orgId, post.id),
    initialData: post,
    refetchInterval: (query) =>
      (query.state.data ?? post).targets.some((target) => goingOut(query.state.data ?? post, target)) && Date.now() - sentAt < FOLLOW_MS ? 1_000 : false,
  });
  const current = followed.data;
  // When a target's state moves, the lists below move with it: "published" here and "scheduled" there read as a contradiction.
  const queryClient = useQueryClient();
  const states = current.targets.map((target) => target.state).join(',');
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: postsKey(orgId) });
  }, [queryClient, orgId, states]);
  return (
    <Stack gap={2} role="status" aria-live="polite" data-testid="send-report" data-post-id={post.id}>
      {current.targets.map((target) => {
        const network = t(`networks.${target.network}`, { defaultValue: target.network });
        return (
          <Group key={target.id} gap={6} wrap="nowrap" data-testid="send-report-target" data-network={target.network} data-state={target.state}>
            <NetworkIcon network={target.network} size={16} />
            <Text size="sm" c={target.state === 'failed' ? 'red.8' : undefined}>
              {reportLine(t, current, target, network, formatDate)}
            </Text>
            {target.state === 'published' && target.url && (
              <Anchor href={target.url} target="_blank" rel="noopener noreferrer" size="sm" data-testid="send-report-view">
                {t('publish.report.view')}
              </Anchor>
            )}
            {goingOut(current, target) && <Loader size={12} aria-hidden />}
          </Group>
        );
      })}
    </Stack>
  );
}

/** Being published, or due and about to be. */
function goingOut(post: Post, target: Target): boolean {
  return (
    UNDER_WAY.has(target.state) ||
    (post.workflow === 'scheduled' && target.state === 'scheduled' && target.dueAt !== null && Date.parse(target.dueAt) <= Date.now())
  );
}

type Translate = ReturnType<typeof useTranslation>['t'];

function reportLine(t: Translate, post: Post, target: Target, network: string, formatDate: (iso: string) => string): string {
  if (post.workflow === 'pending_approval') return t('publish.report.awaitingApproval', { network });
  if (post.workflow === 'draft') return t('publish.report.draft', { network });
  switch (target.state) {
    case 'published':
      return t('publish.report.published', { network });
    case 'failed':
      return t('publish.report.failed', { network, reason: target.failureReason ?? '' });
    case 'publishing':
    case 'retrying':
      return t('publish.report.publishing', { network });
    case 'scheduled':
      return goingOut(post, target) || !target.dueAt
        ? t('publish.report.publishing', { network })
        : t('publish.report.scheduled', { network, when: formatDate(target.dueAt) });
    default:
      return t(`publish.report.${target.state}`, { network });
  }
}
