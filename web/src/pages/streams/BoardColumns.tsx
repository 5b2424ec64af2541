import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../api/channels.js';
import { reorderColumns, type Board } from '../../api/streams.js';
import type { Member } from '../../api/types.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { AddColumnModal } from './AddColumnModal.js';
import { SearchColumn } from './SearchColumn.js';
import { COLUMN_HEIGHT, StreamColumn } from './StreamColumn.js';
import { boardsKey } from './stream-queries.js';

const DRAG_TYPE = 'application/x-chorus-column';

/** The board's columns side by side, scrolling sideways; a column's header drags it to a new place. */
export function BoardColumns({
  board,
  editable,
  channels,
  members,
  search,
  onCloseSearch,
}: {
  board: Board;
  /** The member may change this board (its owner, or an admin for a shared one). */
  editable: boolean;
  channels: Channel[];
  members: Member[];
  search: string;
  onCloseSearch: () => void;
}) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropBefore, setDropBefore] = useState<string | null>(null);
  const columns = [...board.columns].sort((a, b) => a.position - b.position);

  const reorder = useMutation({
    mutationFn: (columnIds: string[]) => reorderColumns(org.id, board.id, columnIds),
    onMutate: (columnIds) => {
      // The new order shows at once; a refusal puts the server's order back.
      client.setQueryData<Board[]>(boardsKey(org.id), (boards) =>
        boards?.map((b) =>
          b.id === board.id ? { ...b, columns: columnIds.map((id, position) => ({ ...b.columns.find((c) => c.id === id)!, position })) } : b,
        ),
      );
    },
    onSettled: () => client.invalidateQueries({ queryKey: boardsKey(org.id) }),
  });

  const drop = (event: DragEvent, beforeId: string | null) => {
    event.preventDefault();
    const moved = event.dataTransfer.getData(DRAG_TYPE) || dragging;
    setDragging(null);
    setDropBefore(null);
    if (!moved || moved === beforeId) return;
    const order = columns.map((c) => c.id).filter((id) => id !== moved);
    const at = beforeId === null ? order.length : order.indexOf(beforeId);
    order.splice(at < 0 ? order.length : at, 0, moved);
    if (order.join() !== columns.map((c) => c.id).join()) reorder.mutate(order);
  };
  const move = (columnId: string, by: -1 | 1) => {
    const order = columns.map((c) => c.id);
    const from = order.indexOf(columnId);
    order.splice(from, 1);
    order.splice(from + by, 0, columnId);
    reorder.mutate(order);
  };
  const over = (event: DragEvent, columnId: string | null) => {
    if (!dragging && !event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    if (columnId === null) return setDropBefore(null);
    // Over the left half of a column: drop before it; over the right half: before the next one.
    const box = event.currentTarget.getBoundingClientRect();
    const index = columns.findIndex((c) => c.id === columnId);
    setDropBefore(event.clientX < box.left + box.width / 2 ? columnId : (columns[index + 1]?.id ?? 'end'));
  };

  return (
    <>
      <Group
        gap="sm"
        wrap="nowrap"
        align="stretch"
        pb="xs"
        className="board-columns"
        style={{ overflowX: 'auto' }}
        // A scrolling region: reachable and scrollable by keyboard, and named for screen readers.
        tabIndex={0}
        role="region"
        aria-label={t('streams.board.columnsLabel', { name: board.name })}
        data-testid="board-columns"
        data-board-id={board.id}
      >
        {search && <SearchColumn query={search} boardId={editable ? board.id : null} members={members} onClose={onCloseSearch} />}
        {columns.map((column, index) => (
          <div
            key={column.id}
            onDragOver={(e) => over(e, column.id)}
            onDrop={(e) => drop(e, dropBefore === 'end' ? null : dropBefore)}
            style={{
              display: 'flex',
              borderLeft: dropBefore === column.id && dragging !== column.id ? '3px solid var(--mantine-color-blue-filled)' : '3px solid transparent',
            }}
          >
            <StreamColumn
              column={column}
              channel={channels.find((c) => c.id === column.channelAccountId)}
              members={members}
              editable={editable}
              drag={{
                dragging: dragging === column.id,
                onMove: { left: index > 0 ? () => move(column.id, -1) : null, right: index < columns.length - 1 ? () => move(column.id, 1) : null },
                onDragStart: (event) => {
                  event.dataTransfer.setData(DRAG_TYPE, column.id);
                  event.dataTransfer.effectAllowed = 'move';
                  setDragging(column.id);
                },
                onDragEnd: () => {
                  setDragging(null);
                  setDropBefore(null);
                },
              }}
            />
          </div>
        ))}
        {editable && (
          <Paper
            withBorder
            radius="md"
            p="md"
            miw={240}
            onDragOver={(e) => over(e, null)}
            onDrop={(e) => drop(e, null)}
            style={{
              borderStyle: 'dashed',
              height: COLUMN_HEIGHT,
              borderLeft: dropBefore === 'end' || (dragging && dropBefore === null) ? '3px solid var(--mantine-color-blue-filled)' : undefined,
            }}
            data-testid="add-column-card"
          >
            <Stack gap="xs" align="center" justify="center" h="100%">
              {columns.length === 0 && (
                <Text size="sm" c="dimmed" ta="center" data-testid="board-empty">
                  {t('streams.board.empty')}
                </Text>
              )}
              <Button onClick={() => setAdding(true)} data-testid="add-column">
                {t('streams.add.button')}
              </Button>
              {columns.length > 1 && (
                <Text size="xs" c="dimmed" ta="center">
                  {t('streams.column.dragHint')}
                </Text>
              )}
            </Stack>
          </Paper>
        )}
        {!editable && columns.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="board-empty">
            {t('streams.board.emptyReadOnly')}
          </Text>
        )}
      </Group>
      <AddColumnModal key={String(adding)} boardId={board.id} channels={channels} opened={adding} onClose={() => setAdding(false)} />
    </>
  );
}
