import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { Network } from '../channels/connector.js';
import { connectChannel, feedChannelId, type ChannelsEnvironment } from '../channels/service.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import { preparedOrgQuery, type OrgScope } from '../teams/org-scope.js';
import { canEditBoard } from '../../core/policies.js';
import { ensureIngestJob, jobTarget, removeOrphanJobs } from './jobs.js';
import type { ColumnFilters, EditBoardBody, EditColumnBody, NewBoardBody, NewColumnBody } from './schemas.js';
import type { BoardsTable, ColumnKind, ColumnRow, ColumnWidth } from './tables.js';
import { unreadCounts } from './unread-counts.js';
import type { BoardView, ColumnView } from '../../core/api/streams.js';

export type { BoardView, ColumnView };

type BoardRow = Selectable<BoardsTable>;

/** Connectors for stored channels, so a column is checked against what its network can stream. */
export interface StreamsChannels {
  directory: ChannelDirectory;
  environment: ChannelsEnvironment;
}

const KIND_TITLES: Record<ColumnKind, string> = {
  home: 'Home',
  mentions: 'Mentions',
  notifications: 'Notifications',
  user_posts: 'Posts',
  list: 'List',
  search: 'Search',
  feed: 'Feed',
  team: 'Team feed',
  messages: 'Messages',
  saved_search: 'Saved search',
};
/** Kinds that mean nothing without a target. */
const NEEDS_TARGET: ColumnKind[] = ['list', 'search', 'saved_search'];

const visible = (scope: OrgScope) => scope.selectFrom('boards').where((eb) => eb.or([eb('owner_user_id', '=', scope.actor.userId), eb('shared', '=', 1)]));

export async function listBoards(scope: OrgScope): Promise<BoardView[]> {
  const boards = await visible(scope).selectAll().orderBy('position').orderBy('created_at').execute();
  if (boards.length === 0) return [];
  const columns = await scope
    .selectFrom('stream_columns')
    .selectAll()
    .where(
      'board_id',
      'in',
      boards.map((b) => b.id),
    )
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const unread = await unreadCounts(scope, columns);
  return boards.map((board) =>
    presentBoard(
      board,
      columns.filter((c) => c.board_id === board.id).map((c) => presentColumn(c, unread.get(c.id) ?? 0)),
    ),
  );
}

export async function createBoard(scope: OrgScope, input: z.output<typeof NewBoardBody>): Promise<BoardView> {
  const last = await scope
    .selectFrom('boards')
    .select((eb) => eb.fn.max('position').as('top'))
    .where('owner_user_id', '=', scope.actor.userId)
    .executeTakeFirst();
  const row = {
    id: newId(),
    owner_user_id: scope.actor.userId,
    name: input.name,
    shared: input.shared ? 1 : 0,
    position: (last?.top ?? -1) + 1,
    created_at: scope.now(),
  };
  await scope.insertInto('boards', row);
  return presentBoard({ ...row, org_id: scope.orgId }, []);
}

export async function editBoard(scope: OrgScope, boardId: string, input: z.output<typeof EditBoardBody>): Promise<BoardView> {
  const board = await editableBoard(scope, boardId);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.shared !== undefined ? { shared: input.shared ? 1 : 0 } : {}),
    ...(input.position !== undefined ? { position: input.position } : {}),
  };
  // An empty patch is a no-op (like PATCH /api/me and PATCH /posts/:postId): SQL has no empty SET.
  if (Object.keys(changes).length > 0) await scope.updateTable('boards').set(changes).where('id', '=', board.id).execute();
  return (await listBoards(scope)).find((b) => b.id === board.id)!;
}

export async function deleteBoard(scope: OrgScope, boardId: string): Promise<void> {
  const board = await editableBoard(scope, boardId);
  await scope.deleteFrom('boards').where('id', '=', board.id).execute();
  await removeOrphanJobs(scope);
}

export async function addColumn(scope: OrgScope, channels: StreamsChannels, boardId: string, input: z.output<typeof NewColumnBody>): Promise<ColumnView> {
  const board = await editableBoard(scope, boardId);
  if (NEEDS_TARGET.includes(input.kind) && !input.target)
    throw new DomainError('target_required', `A ${KIND_TITLES[input.kind]} column needs a target (a query or list id)`, 400);
  const channel = input.kind === 'saved_search' ? null : await columnChannel(scope, channels, input);
  const channelAccountId = channel?.id ?? null;
  const last = await scope
    .selectFrom('stream_columns')
    .select((eb) => eb.fn.max('position').as('top'))
    .where('board_id', '=', board.id)
    .executeTakeFirst();
  const target = input.target ?? null;
  const row = {
    id: newId(),
    board_id: board.id,
    title: input.title ?? KIND_TITLES[input.kind],
    channel_account_id: channelAccountId,
    kind: input.kind,
    target,
    width: input.width,
    position: (last?.top ?? -1) + 1,
    filters: JSON.stringify(input.filters),
    created_at: scope.now(),
  };
  // One transaction: a column is never stored without its ingest job, and once it is, the request answers 201 (a retry would add it twice).
  await scope.transaction(async (tx) => {
    await tx.insertInto('stream_columns', row);
    if (channel && input.kind !== 'saved_search')
      await ensureIngestJob(tx, { channelAccountId: channel.id, network: channel.network, kind: input.kind, target: jobTarget(input.kind, target) });
  });
  return presentColumn({ ...row, org_id: scope.orgId }, 0);
}

/**
 * Which account a column reads. A feed column may name a feed URL instead of a channel: Chorus
 * reuses the org's feed channel for that URL or connects one (it then shows in Settings → Channels).
 */
async function columnChannel(scope: OrgScope, channels: StreamsChannels, input: z.output<typeof NewColumnBody>): Promise<{ id: string; network: Network }> {
  let channelId = input.channelAccountId;
  if (!channelId && input.kind === 'feed' && input.target) {
    channelId =
      (await feedChannelId(scope, input.target)) ??
      (await connectChannel(scope, channels.environment, { network: 'feed', credentials: { url: input.target } })).id;
  }
  if (!channelId)
    throw new DomainError(
      'channel_required',
      `A ${KIND_TITLES[input.kind]} column needs a channelAccountId${input.kind === 'feed' ? ' or a feed URL as target' : ''}`,
      400,
    );
  const opened = await channels.directory.connectorFor(scope.orgId, channelId);
  if (!opened.ok) throw new DomainError('channel_not_found', opened.reason, 404);
  const streams = opened.connector.capabilities.streams;
  if (!streams.includes(input.kind as (typeof streams)[number])) {
    throw new DomainError('unsupported_stream', `This ${opened.connector.network} channel has no "${input.kind}" stream (it has: ${streams.join(', ')})`, 400);
  }
  return { id: channelId, network: opened.connector.network };
}

export async function editColumn(scope: OrgScope, columnId: string, input: z.output<typeof EditColumnBody>): Promise<ColumnView> {
  const column = await editableColumn(scope, columnId);
  const changes = {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.width !== undefined ? { width: input.width } : {}),
    ...(input.position !== undefined ? { position: input.position } : {}),
    ...(input.filters !== undefined ? { filters: JSON.stringify(input.filters) } : {}),
  };
  if (Object.keys(changes).length > 0) await scope.updateTable('stream_columns').set(changes).where('id', '=', column.id).execute();
  const row = await scope.selectFrom('stream_columns').selectAll().where('id', '=', column.id).executeTakeFirstOrThrow();
  return presentColumn(row, (await unreadCounts(scope, [row])).get(row.id) ?? 0);
}

export async function deleteColumn(scope: OrgScope, columnId: string): Promise<void> {
  const column = await editableColumn(scope, columnId);
  await scope.deleteFrom('stream_columns').where('id', '=', column.id).execute();
  await removeOrphanJobs(scope);
}

/** Positions follow the given order; the list must name exactly the board's columns. */
export async function reorderColumns(scope: OrgScope, boardId: string, columnIds: string[]): Promise<BoardView> {
  const board = await editableBoard(scope, boardId);
  const current = await scope.selectFrom('stream_columns').select('id').where('board_id', '=', board.id).execute();
  const known = new Set(current.map((c) => c.id));
  if (columnIds.length !== known.size || new Set(columnIds).size !== columnIds.length || columnIds.some((id) => !known.has(id))) {
    throw new DomainError('column_order_mismatch', 'columnIds must list every column of the board exactly once', 400);
  }
  for (const [position, id] of columnIds.entries()) await scope.updateTable('stream_columns').set({ position }).where('id', '=', id).execute();
  return (await listBoards(scope)).find((b) => b.id === board.id)!;
}

/** A column the caller may read: on their own board or a shared one. */
// Every column read and action starts here: compiled once per store.
const columnReadableByActor = preparedOrgQuery((scope, params: { columnId: string }) =>
  scope
    .selectFrom('stream_columns')
    .innerJoin('boards', 'boards.id', 'stream_columns.board_id')
    .selectAll('stream_columns')
    .where('stream_columns.id', '=', params.columnId)
    .where((eb) => eb.or([eb('boards.owner_user_id', '=', scope.actor.userId), eb('boards.shared', '=', 1)])),
);

export async function readableColumn(scope: OrgScope, columnId: string): Promise<ColumnRow> {
  const [column] = await scope.run(columnReadableByActor, { columnId });
  if (!column) throw new DomainError('column_not_found', 'Column not found', 404);
  return column;
}

/** Ids of every column the caller can see, for filtering live events. */
export async function readableColumnIds(scope: OrgScope): Promise<Set<string>> {
  const rows = await scope
    .selectFrom('stream_columns')
    .innerJoin('boards', 'boards.id', 'stream_columns.board_id')
    .select('stream_columns.id')
    .where((eb) => eb.or([eb('boards.owner_user_id', '=', scope.actor.userId), eb('boards.shared', '=', 1)]))
    .execute();
  return new Set(rows.map((r) => r.id));
}

async function editableBoard(scope: OrgScope, boardId: string): Promise<BoardRow> {
  const board = await visible(scope).selectAll().where('id', '=', boardId).executeTakeFirst();
  if (!board) throw new DomainError('board_not_found', 'Board not found', 404);
  if (!canEditBoard(scope.actor, { ownerUserId: board.owner_user_id, shared: board.shared === 1 })) {
    throw new DomainError('board_not_yours', 'Only its owner (or an admin, for a shared board) may change this board', 403);
  }
  return board;
}

async function editableColumn(scope: OrgScope, columnId: string): Promise<ColumnRow> {
  const column = await readableColumn(scope, columnId);
  await editableBoard(scope, column.board_id);
  return column;
}

function presentBoard(board: BoardRow, columns: ColumnView[]): BoardView {
  return { id: board.id, name: board.name, shared: board.shared === 1, ownerUserId: board.owner_user_id, position: board.position, columns };
}

export function presentColumn(row: ColumnRow, unread: number): ColumnView {
  return {
    id: row.id,
    boardId: row.board_id,
    title: row.title,
    channelAccountId: row.channel_account_id,
    kind: row.kind,
    target: row.target,
    width: row.width,
    position: row.position,
    filters: JSON.parse(row.filters) as ColumnFilters,
    unread,
  };
}
