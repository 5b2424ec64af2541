import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ItemMetrics, ItemPage, StreamItem } from '../../web/src/api/streams.js';
import { columnItemsKey, refreshPagesHolding, searchKey, setMetrics } from '../../web/src/pages/streams/stream-queries.js';

const ORG = 'org-1';
const counts = (likes: number): ItemMetrics => ({ likes, reposts: 0, replies: 0, quotes: 0, views: null });

function item(id: string, overrides: Partial<StreamItem> = {}): StreamItem {
  return {
    id,
    network: 'mastodon',
    remoteId: `r-${id}`,
    url: null,
    author: { handle: 'bob', displayName: 'Bob', avatarUrl: null, profileUrl: null },
    title: null,
    text: `text ${id}`,
    html: null,
    links: [],
    media: [],
    replyToRemoteId: null,
    quoteOfRemoteId: null,
    createdAt: `2027-01-10T09:00:0${id.slice(1)}Z`,
    language: null,
    mentions: [],
    tags: [],
    cardTitle: null,
    isDirect: false,
    metrics: counts(1),
    channelAccountId: null,
    read: true,
    done: false,
    assignedToUserId: null,
    viewer: { liked: false, reposted: false },
    ...overrides,
  };
}

const pages = (...items: StreamItem[][]): InfiniteData<ItemPage, string | null> => ({
  pages: items.map((page, i) => ({ items: page, nextCursor: i < items.length - 1 ? `c${i}` : null, imageSignatures: {} })),
  pageParams: items.map((_, i) => (i === 0 ? null : `c${i - 1}`)),
});

describe('live metrics in the web UI', () => {
  it('updates the counts of an item in every cached column and search page, in place', () => {
    const client = new QueryClient();
    client.setQueryData(columnItemsKey(ORG, 'home'), pages([item('i3'), item('i2', { read: false })], [item('i1')]));
    client.setQueryData(columnItemsKey(ORG, 'mentions'), pages([item('i2', { read: false })]));
    client.setQueryData(searchKey(ORG, 'text'), pages([item('i1')]));
    const untouched = pages([item('i9')]);
    client.setQueryData(columnItemsKey(ORG, 'lists'), untouched);

    setMetrics(client, ORG, [
      { id: 'i2', metrics: counts(12) },
      { id: 'i1', metrics: { likes: 4, reposts: 2, replies: 1, quotes: 0, views: 90 } },
    ]);

    const home = client.getQueryData<InfiniteData<ItemPage>>(columnItemsKey(ORG, 'home'))!;
    expect(home.pages.map((page) => page.items.map((i) => [i.id, i.metrics?.likes, i.read]))).toEqual([
      [
        ['i3', 1, true],
        ['i2', 12, false],
      ],
      [['i1', 4, true]],
    ]);
    expect(home.pages.map((page) => page.nextCursor)).toEqual(['c0', null]);
    expect(client.getQueryData<InfiniteData<ItemPage>>(columnItemsKey(ORG, 'mentions'))!.pages[0]!.items[0]).toEqual(
      item('i2', { read: false, metrics: counts(12) }),
    );
    expect(client.getQueryData<InfiniteData<ItemPage>>(searchKey(ORG, 'text'))!.pages[0]!.items[0]!.metrics).toEqual({
      likes: 4,
      reposts: 2,
      replies: 1,
      quotes: 0,
      views: 90,
    });
    // A column showing none of the items keeps its very data, so it does not render again.
    expect(client.getQueryData(columnItemsKey(ORG, 'lists'))).toBe(untouched);
  });

  it('leaves another org’s cached pages alone', () => {
    const client = new QueryClient();
    const other = pages([item('i1')]);
    client.setQueryData(columnItemsKey('org-2', 'home'), other);
    setMetrics(client, ORG, [{ id: 'i1', metrics: counts(50) }]);
    expect(client.getQueryData(columnItemsKey('org-2', 'home'))).toBe(other);
  });
});

describe('live reactions in the web UI', () => {
  it('reads again every cached column and search page showing a liked item, and only those', () => {
    const client = new QueryClient();
    client.setQueryData(columnItemsKey(ORG, 'home'), pages([item('i3')], [item('i2')]));
    client.setQueryData(searchKey(ORG, 'text'), pages([item('i2')]));
    client.setQueryData(columnItemsKey(ORG, 'lists'), pages([item('i9')]));
    client.setQueryData(columnItemsKey('org-2', 'home'), pages([item('i2')]));

    refreshPagesHolding(client, ORG, ['i2']);

    const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    expect(stale(columnItemsKey(ORG, 'home'))).toBe(true);
    expect(stale(searchKey(ORG, 'text'))).toBe(true);
    expect(stale(columnItemsKey(ORG, 'lists'))).toBe(false);
    expect(stale(columnItemsKey('org-2', 'home'))).toBe(false);
  });
});
