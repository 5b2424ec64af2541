import {
  Alert,
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  Loader,
  Menu,
  Modal,
  Stack,
  Switch,
  Tabs,
  Text,
  TextInput,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { createBoard, deleteBoard, editBoard, type Board } from '../../api/streams.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { orgPath } from '../../app/paths.js';
import { StreamsIcon } from '../../components/icons.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { channelsQuery } from '../channels/channel-queries.js';
import { useMembers } from '../teams/team-queries.js';
import { BoardColumns } from './BoardColumns.js';
import { SearchColumn } from './SearchColumn.js';
import { useStreamEvents, type LiveState } from './live.js';
import { shownBoard, useBoards, useRefreshBoards, useStreamRights } from './stream-queries.js';

/** Streams: boards as tabs, each a row of live columns, and a search across everything stored. */
export function StreamsPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const boards = useBoards(org.id);
  // Columns say when their account is failing; the worker records it, so look again now and then.
  const channels = useQuery({ ...channelsQuery(org.id), refetchInterval: 60_000 });
  const members = useMembers(org.id);
  const live = useStreamEvents(org.id);
  const rights = useStreamRights();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [searchInput, setSearchInput] = useState(params.get('q') ?? '');
  const search = params.get('q') ?? '';

  const list = boards.data ?? [];
  const current = shownBoard(list, params.get('board'));
  const choose = (boardId: string) =>
    setParams((p) => {
      p.set('board', boardId);
      return p;
    });
  const runSearch = (e: FormEvent) => {
    e.preventDefault();
    setParams((p) => {
      if (searchInput.trim()) p.set('q', searchInput.trim());
      else p.delete('q');
      return p;
    });
  };
  const closeSearch = () => {
    setSearchInput('');
    setParams((p) => {
      p.delete('q');
      return p;
    });
  };

  return (
    <Stack gap="sm" data-testid="page-streams">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Group gap="xs">
            <Title order={2}>{t('streams.title')}</Title>
            <LiveBadge state={live} />
          </Group>
          <Text c="dimmed" size="sm" maw={720}>
            {t('streams.intro')}
          </Text>
        </div>
        {/* Shrinks with the window (a phone is narrower than a 280 px box and its button); never wider than 380 px. */}
        <form onSubmit={runSearch} role="search" data-testid="stream-search-form" style={{ flex: '0 1 380px', minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <TextInput
              type="search"
              aria-label={t('streams.search.label')}
              placeholder={t('streams.search.placeholder')}
              value={searchInput}
              onChange={(e) => setSearchInput(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 0 }}
              data-testid="stream-search"
            />
            <Button type="submit" variant="default" data-testid="stream-search-submit">
              {t('streams.search.submit')}
            </Button>
          </Group>
        </form>
      </Group>

      {boards.isPending ? (
        <Loader size="sm" />
      ) : boards.isError ? (
        <Alert color="red" title={t('streams.boardsFailed')} data-testid="boards-error">
          <Text size="sm" mb="xs">
            {describeError(boards.error)}
          </Text>
          <Button size="xs" variant="default" onClick={() => void boards.refetch()}>
            {t('streams.retry')}
          </Button>
        </Alert>
      ) : list.length === 0 ? (
        <NoBoards onCreate={rights.write ? () => setCreating(true) : null} hasAccounts={(channels.data?.channels.length ?? 0) > 0} />
      ) : (
        <Tabs value={current?.id ?? null} onChange={(value) => value && choose(value)} keepMounted={false}>
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', flex: '0 1 auto' }}>
              {list.map((board) => (
                <Tabs.Tab
                  key={board.id}
                  value={board.id}
                  data-testid="board-tab"
                  data-board-id={board.id}
                  rightSection={
                    <Group gap={4} wrap="nowrap">
                      {board.shared && (
                        <Badge size="xs" variant="light" color="grape">
                          {t('streams.board.sharedBadge')}
                        </Badge>
                      )}
                      {unreadOf(board) > 0 && (
                        <Badge size="xs" variant="filled" circle={unreadOf(board) < 10}>
                          {unreadOf(board) > 99 ? '99+' : unreadOf(board)}
                        </Badge>
                      )}
                    </Group>
                  }
                >
                  {board.name}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {rights.write && (
              <Button size="xs" variant="subtle" onClick={() => setCreating(true)} data-testid="board-create">
                {t('streams.board.new')}
              </Button>
            )}
          </Group>
          {list.map((board) => (
            <Tabs.Panel key={board.id} value={board.id} pt="sm">
              {rights.editBoard(board) && <BoardActions board={board} />}
              <BoardColumns
                board={board}
                editable={rights.editBoard(board)}
                channels={channels.data?.channels ?? []}
                members={members.data ?? []}
                search={search}
                onCloseSearch={closeSearch}
              />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
      {!boards.isPending && list.length === 0 && search && <SearchColumn query={search} boardId={null} members={members.data ?? []} onClose={closeSearch} />}
      <BoardFormModal opened={creating} onClose={() => setCreating(false)} onCreated={choose} />
    </Stack>
  );
}

const unreadOf = (board: Board): number => board.columns.reduce((sum, c) => sum + c.unread, 0);

function LiveBadge({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  const color = state === 'live' ? 'teal' : state === 'connecting' ? 'gray' : 'orange';
  return (
    <Tooltip label={t(`streams.live.${state}Hint`)} withArrow>
      <Badge size="sm" variant="dot" color={color} data-testid="live-state" data-state={state}>
        {t(`streams.live.${state}`)}
      </Badge>
    </Tooltip>
  );
}

function NoBoards({ onCreate, hasAccounts }: { onCreate: (() => void) | null; hasAccounts: boolean }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  return (
    <EmptyState
      mt="xl"
      icon={
        <ThemeIcon variant="light" size={48} radius="xl">
          <StreamsIcon size={26} />
        </ThemeIcon>
      }
      title={t('streams.emptyTitle')}
      description={!onCreate ? t('streams.readOnly') : hasAccounts ? t('streams.emptyBody') : t('streams.emptyNoAccounts')}
      data-testid="no-boards"
    >
      <EmptyState.Actions>
        {onCreate && (
          <Button onClick={onCreate} data-testid="board-create-first">
            {t('streams.board.createFirst')}
          </Button>
        )}
        {onCreate && !hasAccounts && (
          <Anchor component={Link} to={orgPath(org.id, 'settings/channels')} size="sm">
            {t('streams.connectAccounts')}
          </Anchor>
        )}
      </EmptyState.Actions>
    </EmptyState>
  );
}

/** Rename, share with the team, delete: the board's own settings, above its columns. */
function BoardActions({ board }: { board: Board }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshBoards(org.id);
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const share = useMutation({
    mutationFn: (shared: boolean) => editBoard(org.id, board.id, { shared }),
    onSuccess: async (_r, shared) => {
      notifySuccess(shared ? t('streams.board.sharedNow') : t('streams.board.privateNow'));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteBoard(org.id, board.id),
    onSuccess: async () => {
      setDeleting(false);
      notifySuccess(t('streams.board.deleted', { name: board.name }));
      await refresh();
    },
  });
  return (
    <Group justify="space-between" mb="xs" gap="xs">
      <Switch
        size="xs"
        label={t('streams.board.share')}
        checked={board.shared}
        disabled={share.isPending}
        onChange={(e) => share.mutate(e.currentTarget.checked)}
        data-testid="board-share"
      />
      <Menu position="bottom-end" shadow="md">
        <Menu.Target>
          <Button size="compact-xs" variant="subtle" color="gray" data-testid="board-menu">
            {t('streams.board.menu')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => setRenaming(true)} data-testid="board-rename">
            {t('streams.board.rename')}
          </Menu.Item>
          <Menu.Item color="red" onClick={() => setDeleting(true)} data-testid="board-delete">
            {t('streams.board.delete')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <BoardFormModal opened={renaming} board={board} onClose={() => setRenaming(false)} />
      <Modal opened={deleting} onClose={() => setDeleting(false)} title={t('streams.board.delete')} size="sm">
        <Text size="sm" mb="md">
          {t('streams.board.deleteQuestion', { name: board.name })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setDeleting(false)}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()} data-testid="board-delete-yes">
            {t('streams.board.delete')}
          </Button>
        </Group>
      </Modal>
    </Group>
  );
}

/** Creates a board, or renames `board`. */
function BoardFormModal({ opened, onClose, board, onCreated }: { opened: boolean; onClose: () => void; board?: Board; onCreated?: (boardId: string) => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshBoards(org.id);
  const [name, setName] = useState(board?.name ?? '');
  const [shared, setShared] = useState(false);
  const save = useIntentMutation({
    meta: { quiet: true },
    mutationFn: async (_: void, intent) =>
      board ? editBoard(org.id, board.id, { name: name.trim() }) : createBoard(org.id, { name: name.trim(), shared }, intent.key()),
    onSuccess: async (result) => {
      await refresh();
      if (!board) {
        setName('');
        setShared(false);
        onCreated?.(result.board.id);
      }
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={board ? t('streams.board.renameTitle') : t('streams.board.createTitle')}>
      <form onSubmit={submit} data-testid="board-form">
        <Stack gap="sm">
          <TextInput
            label={t('streams.board.name')}
            placeholder={t('streams.board.namePlaceholder')}
            required
            data-autofocus
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="board-name"
          />
          {!board && (
            <Switch
              label={t('streams.board.share')}
              description={t('streams.board.shareHint')}
              checked={shared}
              onChange={(e) => setShared(e.currentTarget.checked)}
            />
          )}
          {save.isError && (
            <Alert color="red" variant="light">
              {describeError(save.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()} data-testid="board-save">
              {board ? t('common.save') : t('streams.board.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
