import type { QueryClient } from '@tanstack/react-query';
import { channelsQuery } from '../channels/channel-queries.js';
import { membersQuery } from '../teams/team-queries.js';
import { boardsQuery, columnItemsQuery, shownBoard } from './stream-queries.js';

const BOARD_PATH = /^\/orgs\/([^/]+)\/streams\/?$/;

/**
 * A visit that opens the board asks for its data as the app starts, with the very queries the
 * page will use: the boards, accounts and members, then the shown board's first pages. Waiting
 * for React to draw the shell and then the board before each step cost ~0.3 s of a ~1.6 s load
 * (bench/board-load.ts).
 */
export function prefetchBoard(client: QueryClient, location: Pick<Location, 'pathname' | 'search'>): void {
  const match = BOARD_PATH.exec(location.pathname);
  if (!match) return;
  const orgId = decodeURIComponent(match[1]!);
  // Quiet: a visitor who is signed out (or not a member) is led to sign in, not shown the 401s;
  // a query that failed here is asked again by the page, which reports its own errors.
  const quiet = { meta: { quiet: true } };
  void client.prefetchQuery({ ...channelsQuery(orgId), ...quiet });
  void client.prefetchQuery({ ...membersQuery(orgId), ...quiet });
  void client.prefetchQuery(boardsQuery(orgId)).then(() => {
    const boards = client.getQueryData(boardsQuery(orgId).queryKey) ?? [];
    const board = shownBoard(boards, new URLSearchParams(location.search).get('board'));
    for (const column of board?.columns ?? []) void client.prefetchInfiniteQuery(columnItemsQuery(orgId, column.id));
  });
}
