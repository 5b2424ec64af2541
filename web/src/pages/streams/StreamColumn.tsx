import { Alert, Anchor, Badge, Box, Button, Group, Loader, Menu, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Channel } from '../../api/channels.js';
import { editColumn, markColumnRead, removeColumn, type Column, type ColumnFilters, type ColumnWidth, type StreamItem } from '../../api/streams.js';
import type { Member } from '../../api/types.js';
import { describeError } from '../../app/errors.js';
import { orgPath } from '../../app/paths.js';
import { MenuOnDemand } from '../../components/MenuOnDemand.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { TokenExpiryBadge } from '../../components/TokenExpiryBadge.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { ColumnFiltersButton } from './ColumnFiltersButton.js';
import { ItemCard } from './ItemCard.js';
import { arrivals, useArrivals } from './live.js';
import { useShownItems } from './shown-items.js';
import { WIDTH_PX, WIDTHS } from './stream-kinds.js';
import { columnItemsKey, setUnread, updateItem, useColumnItems, useRefreshBoards } from './stream-queries.js';

// The page header, tabs and board settings above; the columns fill the rest of the window.
export const COLUMN_HEIGHT = 'max(360px, calc(100dvh - 250px))';

export interface ColumnDrag {
  onDragStart: (event: DragEvent) => void;
  onDragEnd: () => void;
  dragging: boolean;
  /** The same move without a mouse: one place left (-1) or right (+1); null at that end. */
  onMove: { left: (() => void) | null; right: (() => void) | null };
}

/** One stream as a column: header (title, unread, width, filters, remove) over its items. */
export function StreamColumn({
  column,
  channel,
  members,
  editable,
  drag,
}: {
  column: Column;
  channel: Channel | undefined;
  members: Member[];
  editable: boolean;
  drag: ColumnDrag;
}) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const refreshBoards = useRefreshBoards(org.id);
  const items = useColumnItems(org.id, column.id);
  const fresh = useArrivals(column.id);
  const scroller = useRef<HTMLDivElement>(null);
  const [renaming, setRenaming] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const loaded: StreamItem[] = items.data?.pages.flatMap((page) => page.items) ?? [];

  const save = useMutation({
    mutationFn: (edit: { title?: string; width?: ColumnWidth; filters?: ColumnFilters }) => editColumn(org.id, column.id, edit),
    onSuccess: async (_result, edit) => {
      await refreshBoards();
      // Filters are applied by the server: the column is read again through them.
      if (edit.filters) await client.resetQueries({ queryKey: columnItemsKey(org.id, column.id) });
    },
  });
  const remove = useMutation({
    mutationFn: () => removeColumn(org.id, column.id),
    onSuccess: async () => {
      arrivals.clear(column.id);
      await refreshBoards();
    },
  });
  const markRead = useMutation({
    mutationFn: (upTo: string) => markColumnRead(org.id, column.id, upTo),
    onSuccess: () => {
      for (const item of loaded) if (!item.read) updateItem(client, org.id, item.id, (current) => ({ ...current, read: true }));
      setUnread(client, org.id, column.id, 0);
    },
  });

  /** The "N new" pill: to the newest of the new items, and they count as seen. */
  const showNew = () => {
    const box = scroller.current;
    const newest = box?.querySelector('[data-fresh="true"]');
    // Scrolls only this column, not the page or the board.
    if (box && newest) box.scrollTo({ top: box.scrollTop + newest.getBoundingClientRect().top - box.getBoundingClientRect().top - 6, behavior: 'smooth' });
    arrivals.clear(column.id);
  };

  const title = displayTitle(t, column, channel);
  return (
    <Paper
      withBorder
      radius="md"
      w={WIDTH_PX[column.width]}
      miw={WIDTH_PX[column.width]}
      data-testid="stream-column"
      data-column-id={column.id}
      data-kind={column.kind}
      data-width={column.width}
      style={{ display: 'flex', flexDirection: 'column', height: COLUMN_HEIGHT, opacity: drag.dragging ? 0.4 : 1, background: 'var(--mantine-color-body)' }}
    >
      <Box
        px="xs"
        py={6}
        draggable={editable && !renaming}
        onDragStart={drag.onDragStart}
        onDragEnd={drag.onDragEnd}
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)', cursor: editable && !renaming ? 'grab' : undefined }}
        data-testid="column-header"
        title={editable ? t('streams.column.dragHint') : undefined}
      >
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            {channel || column.kind === 'feed' ? <NetworkIcon network={channel?.network ?? 'feed'} size={18} /> : <Text aria-hidden="true">⌕</Text>}
            {renaming ? (
              <RenameField
                initial={title}
                onDone={(value) => {
                  setRenaming(false);
                  if (value && value !== title) save.mutate({ title: value });
                }}
              />
            ) : (
              // Two lines before it is cut: in a narrow column one line left little more than the kind.
              <Text fw={600} size="sm" lineClamp={2} title={title} style={{ overflowWrap: 'anywhere' }} data-testid="column-title">
                {title}
              </Text>
            )}
            {column.unread > 0 && (
              <Badge size="sm" circle={column.unread < 10} data-testid="column-unread" aria-label={t('streams.column.unreadCount', { count: column.unread })}>
                {column.unread > 999 ? '999+' : column.unread}
              </Badge>
            )}
          </Group>
          <Group gap={2} wrap="nowrap">
            {editable && <ColumnFiltersButton filters={column.filters} saving={save.isPending} onSave={(filters) => save.mutate({ filters })} />}
            <MenuOnDemand
              position="bottom-end"
              shadow="md"
              withinPortal
              target={
                <Button size="compact-xs" variant="subtle" color="gray" aria-label={t('streams.column.menu')} data-testid="column-menu">
                  ⋯
                </Button>
              }
            >
              {editable && (
                <Menu.Item onClick={() => setRenaming(true)} data-testid="column-rename">
                  {t('streams.column.rename')}
                </Menu.Item>
              )}
              {tracksReading(column) && (
                <Menu.Item
                  disabled={loaded.length === 0 || markRead.isPending}
                  onClick={() => loaded[0] && markRead.mutate(loaded[0].id)}
                  data-testid="column-mark-read"
                >
                  {t('streams.column.markAllRead')}
                </Menu.Item>
              )}
              {editable && (
                <>
                  <Menu.Item disabled={!drag.onMove.left} onClick={() => drag.onMove.left?.()} data-testid="column-move-left">
                    {t('streams.column.moveLeft')}
                  </Menu.Item>
                  <Menu.Item disabled={!drag.onMove.right} onClick={() => drag.onMove.right?.()} data-testid="column-move-right">
                    {t('streams.column.moveRight')}
                  </Menu.Item>
                  <Menu.Label>{t('streams.column.width')}</Menu.Label>
                  {WIDTHS.map((width) => (
                    <Menu.Item
                      key={width}
                      onClick={() => save.mutate({ width })}
                      data-testid={`column-width-${width}`}
                      rightSection={width === column.width ? '✓' : null}
                    >
                      {t(`streams.widths.${width}`)}
                    </Menu.Item>
                  ))}
                  <Menu.Divider />
                  <Menu.Item color="red" onClick={() => setConfirmRemove(true)} data-testid="column-remove">
                    {t('streams.column.remove')}
                  </Menu.Item>
                </>
              )}
            </MenuOnDemand>
          </Group>
        </Group>
        {subtitle(t, column, channel) && (
          <Text size="xs" c="dimmed" truncate>
            {subtitle(t, column, channel)}
          </Text>
        )}
        {channel && <TokenExpiryBadge tokenExpiresAt={channel.tokenExpiresAt} />}
      </Box>
      {channel && channel.health.status !== 'ok' && <HealthNotice channel={channel} />}
      {confirmRemove && (
        <Alert color="red" variant="light" m={6} p="xs" data-testid="column-remove-confirm">
          <Text size="sm" mb={6}>
            {t('streams.column.removeQuestion', { title })}
          </Text>
          <Group gap="xs" justify="flex-end">
            <Button size="compact-xs" variant="default" onClick={() => setConfirmRemove(false)}>
              {t('common.cancel')}
            </Button>
            <Button size="compact-xs" color="red" loading={remove.isPending} onClick={() => remove.mutate()} data-testid="column-remove-yes">
              {t('streams.column.removeConfirm')}
            </Button>
          </Group>
        </Alert>
      )}
      {fresh.length > 0 && (
        <Button size="compact-xs" radius="xl" mx="auto" mt={6} onClick={showNew} data-testid="column-new-pill" style={{ flex: 'none' }}>
          {t('streams.column.newItems', { count: fresh.length })}
        </Button>
      )}
      <Box style={{ flex: 1, minHeight: 0 }}>
        <Box ref={scroller} h="100%" p={6} style={{ overflowY: 'auto' }} data-testid="column-items">
          <ColumnBody column={column} query={items} loaded={loaded} fresh={fresh} members={members} channel={channel} scroller={scroller} />
        </Box>
      </Box>
    </Paper>
  );
}

function ColumnBody({
  column,
  query,
  loaded,
  fresh,
  members,
  channel,
  scroller,
}: {
  column: Column;
  query: ReturnType<typeof useColumnItems>;
  loaded: StreamItem[];
  fresh: string[];
  members: Member[];
  channel: Channel | undefined;
  scroller: RefObject<HTMLDivElement | null>;
}) {
  const { t } = useTranslation();
  const built = useShownItems(loaded.length, scroller);
  if (query.isPending) return <Loader size="sm" m="sm" />;
  // A failed older page keeps what is loaded; only a failed first page replaces the column.
  if (query.isError && !query.data)
    return (
      <Alert color="red" variant="light" title={t('streams.column.loadFailed')} data-testid="column-error">
        <Text size="sm" mb={6}>
          {describeError(query.error)}
        </Text>
        <Button size="compact-xs" variant="default" onClick={() => void query.refetch()}>
          {t('streams.retry')}
        </Button>
      </Alert>
    );
  if (loaded.length === 0)
    return (
      <Text size="sm" c="dimmed" p="xs" data-testid="column-empty">
        {hasFilters(column.filters)
          ? t('streams.column.emptyFiltered')
          : column.kind === 'saved_search'
            ? t('streams.column.emptySearch')
            : t('streams.column.empty')}
      </Text>
    );
  return (
    <Stack gap={6} onFocus={built.onFocus}>
      {loaded.slice(0, built.shown).map((item) => (
        <ItemCard
          key={item.id}
          item={item}
          columnId={column.id}
          accountId={column.channelAccountId ?? channel?.id ?? null}
          members={members}
          fresh={fresh.includes(item.id)}
          tracksReading={tracksReading(column)}
        />
      ))}
      {/* The next page is asked for only once every loaded card is built. */}
      {built.more ? (
        <Box ref={built.sentinel} h={1} data-testid="column-more" />
      ) : (
        <OlderItems
          hasMore={query.hasNextPage}
          loading={query.isFetchingNextPage}
          error={query.isFetchNextPageError ? query.error : null}
          onMore={() => void query.fetchNextPage()}
        />
      )}
    </Stack>
  );
}

/** Infinite scroll backwards: reaching the end of the column asks for the page before it. */
export function OlderItems({
  hasMore,
  loading,
  error,
  onMore,
  endLabel,
}: {
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  onMore: () => void;
  endLabel?: string;
}) {
  const { t } = useTranslation();
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(onMore);
  more.current = onMore;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore || loading || error) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more.current(), { rootMargin: '200px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, loading, error]);
  let content: ReactNode = null;
  if (error)
    content = (
      <Group gap={6}>
        <Text size="xs" c="red">
          {t('streams.column.olderFailed', { reason: describeError(error) })}
        </Text>
        <Button size="compact-xs" variant="default" onClick={onMore}>
          {t('streams.retry')}
        </Button>
      </Group>
    );
  else if (loading) content = <Loader size="xs" />;
  else if (!hasMore)
    content = (
      <Text size="xs" c="dimmed">
        {endLabel ?? t('streams.column.end')}
      </Text>
    );
  return (
    <Box ref={sentinel} py={6} ta="center" data-testid="column-older">
      {content}
    </Box>
  );
}

/**
 * The column's account is failing (an unreachable feed, a revoked token): said at the column,
 * since the column itself only shows what was read before. The worker keeps the health current.
 */
function HealthNotice({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const reconnect = channel.health.status === 'needs_reconnect';
  return (
    <Alert color={reconnect ? 'red' : 'orange'} variant="light" m={6} p="xs" data-testid="column-health" data-status={channel.health.status}>
      <Text size="xs">{t(reconnect ? 'streams.column.healthNeedsReconnect' : 'streams.column.healthDegraded')}</Text>
      {channel.health.reason && (
        <Text size="xs" c="dimmed" mt={2} lineClamp={3} style={{ overflowWrap: 'anywhere' }} data-testid="column-health-reason">
          {channel.health.reason}
        </Text>
      )}
      <Anchor component={Link} to={orgPath(org.id, 'settings/channels')} size="xs">
        {t('streams.column.healthFix')}
      </Anchor>
    </Alert>
  );
}

function RenameField({ initial, onDone }: { initial: string; onDone: (value: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  return (
    <TextInput
      size="xs"
      autoFocus
      aria-label={t('streams.column.rename')}
      value={value}
      maxLength={100}
      onChange={(e) => setValue(e.currentTarget.value)}
      onBlur={() => onDone(value.trim())}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onDone(value.trim());
        if (e.key === 'Escape') onDone(initial);
      }}
      data-testid="column-rename-input"
    />
  );
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** A saved search is a view over stored items: read and done belong to the columns items arrive in. */
const tracksReading = (column: Pick<Column, 'kind'>): boolean => column.kind !== 'saved_search';

// The same filters the server applies (src/streams/filters.ts).
const hasFilters = (filters: ColumnFilters): boolean =>
  Boolean(filters.language || filters.hasLink || filters.fromContactsOnly || filters.excludeKeywords?.length);

type T = (key: string, options?: Record<string, unknown>) => string;

// What the server names a column the user did not name (src/streams/boards.ts): shown in the reader's language instead.
const SERVER_DEFAULT_TITLES: Record<string, string> = {
  home: 'Home',
  mentions: 'Mentions',
  notifications: 'Notifications',
  user_posts: 'Posts',
  list: 'List',
  search: 'Search',
  feed: 'Feed',
  team: 'Team feed',
  saved_search: 'Saved search',
};

function displayTitle(t: T, column: Column, channel: Channel | undefined): string {
  return column.title && column.title !== SERVER_DEFAULT_TITLES[column.kind] ? column.title : defaultTitle(t, column, channel);
}

function defaultTitle(t: T, column: Pick<Column, 'kind' | 'target'>, channel: Channel | undefined): string {
  const kind = t(`streams.kinds.${column.kind}`);
  // The words are what tells saved searches apart: the ⌕ icon and the subtitle say what it is, and a
  // narrow column has no room to spare for "Search everything: " before them.
  if (column.kind === 'saved_search') return column.target ? t('streams.column.savedSearchTitle', { query: column.target }) : kind;
  if (column.kind === 'search') return column.target ? `${kind}: ${column.target}` : kind;
  if (column.kind === 'feed' && channel) return channel.displayName;
  return column.target ? `${kind}: ${column.target}` : kind;
}

function subtitle(t: T, column: Column, channel: Channel | undefined): string {
  if (column.kind === 'saved_search') return t('streams.column.acrossEverything');
  if (!channel && column.kind === 'feed' && column.target) return `${t('networks.feed')} · ${hostOf(column.target)}`;
  if (!channel) return column.channelAccountId ? t('streams.column.accountGone') : '';
  return `${t(`networks.${channel.network}`)} · ${channel.handle}`;
}
