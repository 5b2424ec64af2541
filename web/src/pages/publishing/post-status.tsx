import { Anchor, Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PostStatus, Target, TargetState } from '../../api/publishing.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';

/** One colour per derived post status, shared by the lists and the calendar. */
export const STATUS_COLOR: Record<PostStatus, string> = {
  draft: 'gray',
  pending_approval: 'yellow',
  rejected: 'pink',
  scheduled: 'blue',
  publishing: 'cyan',
  published: 'teal',
  partially_published: 'orange',
  failed: 'red',
  cancelled: 'dark',
};

const STATE_COLOR: Record<TargetState, string> = {
  draft: 'gray',
  scheduled: 'blue',
  publishing: 'cyan',
  retrying: 'orange',
  published: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

const STATE_PATH: Record<TargetState, string> = {
  draft: 'M4 20h4L19 9l-4-4L4 16v4z',
  scheduled: 'M12 7v5l3 2M12 21a9 9 0 110-18 9 9 0 010 18z',
  publishing: 'M4 12a8 8 0 0114-5l2 2M20 12a8 8 0 01-14 5l-2-2M20 4v5h-5M4 20v-5h5',
  retrying: 'M4 12a8 8 0 0114-5l2 2M20 12a8 8 0 01-14 5l-2-2M20 4v5h-5M4 20v-5h5',
  published: 'M5 12l5 5L20 7',
  failed: 'M6 6l12 12M18 6L6 18',
  cancelled: 'M5 19L19 5M12 21a9 9 0 110-18 9 9 0 010 18z',
};

export function StatusBadge({ status }: { status: PostStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" c="dark.8" data-testid="post-status" data-status={status}>
      {t(`postStatus.${status}`)}
    </Badge>
  );
}

export function StateIcon({ state, size = 14 }: { state: TargetState; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke={`var(--mantine-color-${STATE_COLOR[state]}-7)`}
      strokeWidth={2.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={STATE_PATH[state]} />
    </svg>
  );
}

/**
 * A target's network and state in one glance: the network's mark with the state's sign beside it.
 * `linked`: a published target with a live post opens it (lists and the calendar; the detail table
 * has its own "View post" link).
 */
export function TargetChip({
  target,
  accountName,
  withLabel = false,
  linked = false,
}: {
  target: Target;
  accountName?: string;
  withLabel?: boolean;
  linked?: boolean;
}) {
  const { t } = useTranslation();
  const label = `${accountName ?? target.network}: ${t(`targetState.${target.state}`)}${target.failureReason ? ` (${target.failureReason})` : ''}`;
  // A mark with a text alternative (role img): outside a button, as in a calendar tile's row, a bare div may not carry aria-label.
  const chip = (
    <Group gap={2} wrap="nowrap" role="img" data-testid="target-state" data-network={target.network} data-state={target.state} aria-label={label}>
      <NetworkIcon network={target.network} size={16} />
      <StateIcon state={target.state} />
      {withLabel && (
        <Text size="xs" c={STATE_COLOR[target.state]}>
          {t(`targetState.${target.state}`)}
        </Text>
      )}
    </Group>
  );
  const live = linked && target.state === 'published' ? target.url : null;
  return (
    <Tooltip label={label} multiline maw={360}>
      {live ? (
        <Anchor
          href={live}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={t('publish.openLivePost', { target: label })}
          // Inside a calendar tile: open the post, not the tile's detail.
          onClick={(e) => e.stopPropagation()}
          draggable={false}
          data-testid="target-live-link"
          data-network={target.network}
        >
          {chip}
        </Anchor>
      ) : (
        chip
      )}
    </Tooltip>
  );
}
