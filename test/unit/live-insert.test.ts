import { InfiniteQueryObserver, QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ItemPage, StreamItem } from '../../web/src/api/streams.js';
import { columnItemsKey, insertItem } from '../../web/src/pages/streams/stream-queries.js';

const ORG = 'org-1';
const COLUMN = 'column-1';
const key = columnItemsKey(ORG, COLUMN);

const item = (id: string, createdAt: string): StreamItem => ({
  id,
  network: 'feed',
  remoteId: id,
  url: null,
  author: { handle: 'blog.example', displayName: 'Blog', avatarUrl: null, profileUrl: null },
  title: null,
  text: id,
  html: null,
  links: [],
  media: [],
  replyToRemoteId: null,
  quoteOfRemoteId: null,
  createdAt,
  language: null,
  mentions: [],
  tags: [],
  cardTitle: null,
  isDirect: false,
  metrics: null,
  channelAccountId: null,
  read: false,
  done: false,
  assignedToUserId: null,
  viewer: { liked: false, reposted: false },
});

const shown = (client: QueryClient) => client.getQueryData<{ pages: ItemPage[] }>(key)?.pages.flatMap((page) => page.items.map((i) => i.id));

describe('a live item reaching a column', () => {
  it('goes where the server would list it, once', () => {
    const client = new QueryClient();
    client.setQueryData(key, {
      pages: [{ items: [item('b', '2027-01-01T10:00:00Z'), item('a', '2027-01-01T09:00:00Z')], nextCursor: null }],
      pageParams: [null],
    });
    expect(insertItem(client, ORG, COLUMN, item('c', '2027-01-01T09:30:00Z'))).toBe(true);
    expect(insertItem(client, ORG, COLUMN, item('c', '2027-01-01T09:30:00Z'))).toBe(false);
    expect(shown(client)).toEqual(['b', 'c', 'a']);
  });

  it('arriving while the first page is on its way, which was read before the item was stored, makes the column ask again', async () => {
    const client = new QueryClient();
    const stored: StreamItem[] = [];
    let answered = 0;
    let releaseFirst!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (releaseFirst = resolve));
    const queryFn = async (): Promise<ItemPage> => {
      const page = { items: [...stored], nextCursor: null };
      // The first request's page is taken now (empty) but answered late, after the item is stored.
      if (answered++ === 0) await firstAnswer;
      return page;
    };
    // The mounted column: an observer, as useColumnItems makes.
    const column = new InfiniteQueryObserver(client, {
      queryKey: key,
      queryFn,
      initialPageParam: null as string | null,
      getNextPageParam: (page: ItemPage) => page.nextCursor,
    });
    const unsubscribe = column.subscribe(() => {});
    const fresh = item('new', '2027-01-01T10:00:00Z');
    stored.push(fresh);
    expect(insertItem(client, ORG, COLUMN, fresh)).toBe(false);
    // A second event for the same pending page does not ask a third time.
    expect(insertItem(client, ORG, COLUMN, item('new-2', '2027-01-01T10:01:00Z'))).toBe(false);
    releaseFirst();
    await expect.poll(() => shown(client)).toEqual(['new']);
    unsubscribe();
    expect(answered).toBe(2);
  });
});
