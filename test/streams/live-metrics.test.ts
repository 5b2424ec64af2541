import { expect, it } from 'vitest';
import type { NormalizedItem, PostMetrics } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { streamNotifier } from '../../src/streams/live.js';
import { invitePerson, setUpOwner } from '../support/api-client.js';
import { startContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';
import { liveServers } from './live-servers.js';
import { ingestRound, movableClock, mastodonStatus } from './support.js';

const counts = (likes: number): PostMetrics => ({ likes, reposts: 0, replies: 0, quotes: 0, views: null });

const post = (remoteId: string, metrics: PostMetrics): NormalizedItem => ({
  network: 'bluesky',
  remoteId,
  url: null,
  author: { remoteId: 'did:example:alice', handle: 'alice.example', displayName: 'Alice' },
  text: `post ${remoteId}`,
  html: null,
  links: [],
  media: [],
  replyToRemoteId: null,
  quoteOfRemoteId: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  language: 'en',
  metrics,
});

/**
 * New counts of stored items reach open dashboards over SSE. On PostgreSQL the poll runs in one
 * server process and the SSE client is connected to another on the same schema (LISTEN/NOTIFY).
 */
describeEachStore('live metrics', (current, dialect) => {
  const { twoServers, listen, onCleanup } = liveServers(current, dialect);

  it('sends the new counts of a polled item to every member, and nothing for unchanged counts', async () => {
    const changing = { favourites_count: 1, reblogs_count: 0, replies_count: 0 };
    const steady = { favourites_count: 5, reblogs_count: 1, replies_count: 0 };
    const mastodon = await startContractServer({
      'GET /api/v1/accounts/verify_credentials': () => ({
        json: { id: '109302', username: 'acme', acct: 'acme', display_name: 'Acme', url: 'https://mastodon.example/@acme', avatar: null },
      }),
      'GET /api/v2/instance': () => ({
        json: { domain: 'mastodon.example', configuration: { statuses: { max_characters: 500, characters_reserved_per_url: 23 } } },
      }),
      'GET /api/v1/timelines/home': () => ({ json: [mastodonStatus('500', changing), mastodonStatus('499', steady)] }),
    });
    onCleanup(() => mastodon.close());
    const { acting, serving } = await twoServers();
    const owner = await setUpOwner(acting.app);
    // The editor has no column at all: counts are of stored items, which every member may read.
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'mastodon', credentials: { instanceUrl: mastodon.url, accessToken: 'token-1' } });
    expect(channel.status).toBe(201);
    const board = await owner.client.post(`${org}/boards`, { name: 'Mastodon' });
    const home = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'home', channelAccountId: channel.body.channel.id });
    expect(home.status).toBe(201);

    const clock = movableClock();
    expect(await ingestRound(acting.app, clock)).toBe(1);
    const items = (await owner.client.get(`${org}/columns/${home.body.column.id}/items`)).body.items as { id: string; remoteId: string }[];
    const idOf = (remoteId: string) => items.find((i) => i.remoteId === remoteId)!.id;

    const ownerEvents = await listen(serving, owner.orgId, owner.email);
    const editorEvents = await listen(serving, owner.orgId, editor.email);
    Object.assign(changing, { favourites_count: 12, reblogs_count: 3, replies_count: 2 });
    clock.advance(3_600_000);
    expect(await ingestRound(acting.app, clock)).toBe(1);

    const expected = { items: [{ id: idOf('500'), metrics: { likes: 12, reposts: 3, replies: 2, quotes: 0, views: null } }] };
    expect((await ownerEvents.next((e) => e.event === 'metrics')).data).toEqual(expected);
    expect((await editorEvents.next((e) => e.event === 'metrics')).data).toEqual(expected);

    // The same counts again: the poll writes nothing and tells no one.
    clock.advance(3_600_000);
    expect(await ingestRound(acting.app, clock)).toBe(1);
    expect(mastodon.sent('GET /api/v1/timelines/home')).toHaveLength(3);
    await expect(ownerEvents.next((e) => e.event === 'metrics', 1000)).rejects.toThrow(/no matching event/);
  });

  it('delivers a large refresh whole, and only items of the listening org', async () => {
    const { acting, serving } = await twoServers();
    const owner = await setUpOwner(acting.app);
    const elsewhere = (await owner.client.post('/api/orgs', { name: 'Elsewhere' })).body.org.id as string;
    const ingest = (orgId: string, items: NormalizedItem[]) =>
      storeIngestedBatch(acting.app.store.db, { orgId, channelAccountId: null, items, columnIds: [], fetchedAt: new Date().toISOString() });
    const many = (likes: number) => Array.from({ length: 320 }, (_, i) => post(`p${i}`, counts(likes)));
    await ingest(owner.orgId, many(1));
    const [foreignId] = (await ingest(elsewhere, [post('x', counts(1))])).newItemIds as [string];

    const events = await listen(serving, owner.orgId, owner.email);
    const refreshed = (await ingest(owner.orgId, many(2))).refreshedItemIds;
    expect(refreshed).toHaveLength(320);
    // More ids than one PostgreSQL NOTIFY payload holds, plus one of another org's items.
    await streamNotifier(acting.app.store).notify({ type: 'metrics', orgId: owner.orgId, itemIds: [...refreshed, foreignId] });

    const received = new Map<string, PostMetrics>();
    while (received.size < refreshed.length) {
      for (const { id, metrics } of (await events.next((e) => e.event === 'metrics')).data.items as { id: string; metrics: PostMetrics }[])
        received.set(id, metrics);
    }
    expect([...received.keys()].sort()).toEqual([...refreshed].sort());
    expect(new Set([...received.values()].map((m) => m.likes))).toEqual(new Set([2]));
    await expect(events.next((e) => e.event === 'metrics', 500)).rejects.toThrow(/no matching event/);
  });
});
