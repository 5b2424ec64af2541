import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { NormalizedItem, PostMetrics } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer } from '../support/contract-server.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { ingestRound, movableClock, mastodonStatus, type MastodonCounts } from './support.js';

const counts = (likes: number, reposts = 0, replies = 0): PostMetrics => ({ likes, reposts, replies, quotes: 0, views: null });

const post = (remoteId: string, text: string, metrics: PostMetrics | null): NormalizedItem => ({
  network: 'bluesky',
  remoteId,
  url: `https://bsky.example/${remoteId}`,
  author: { remoteId: 'did:example:alice', handle: 'alice.example', displayName: 'Alice' },
  text,
  html: null,
  links: [],
  media: [],
  replyToRemoteId: null,
  quoteOfRemoteId: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  language: 'en',
  metrics,
});

const status = (id: string, content: string, counts: MastodonCounts) => mastodonStatus(id, counts, { content, avatar: 'https://other.example/bob.png' });

/** A poll that sees an already-stored post again brings its current likes, reposts and replies. */
describeEachStore('metrics of stored items', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let channelId: string;
  let columnId: string;
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
    const org = `/api/orgs/${owner.orgId}`;
    channelId = (await owner.client.post(`${org}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    const board = await owner.client.post(`${org}/boards`, { name: 'B' });
    columnId = (await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'team', channelAccountId: channelId })).body.column.id;
  });
  afterEach(async () => {
    await app.close();
  });

  const ingest = (items: NormalizedItem[], fetchedAt: string, channelAccountId: string | null = channelId) =>
    storeIngestedBatch(app.store.db, { orgId: owner.orgId, channelAccountId, items, columnIds: [columnId], fetchedAt });
  const stored = (id: string) => app.store.db.selectFrom('stream_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const shown = async () =>
    (await owner.client.get(`/api/orgs/${owner.orgId}/columns/${columnId}/items`)).body.items as { id: string; text: string; metrics: PostMetrics | null }[];

  it('updates the metrics of a post seen again, and nothing else of it', async () => {
    const first = await ingest([post('a', 'first words', counts(1)), post('b', 'quiet post', counts(2))], '2026-01-02T04:00:00.000Z');
    expect(first.refreshedItemIds).toEqual([]);
    const [a, b] = first.newItemIds as [string, string];
    const before = await stored(a);

    // The network now counts more likes and a reply on "a"; "b" is unchanged; "c" is new.
    const second = await ingest(
      [post('a', 'edited words', counts(7, 1, 1)), post('b', 'quiet post', counts(2)), post('c', 'new post', counts(0))],
      '2026-01-02T05:00:00.000Z',
      null,
    );
    expect(second.refreshedItemIds).toEqual([a]);
    expect(second.newItemIds).toHaveLength(1);
    expect(second.memberships).toEqual([{ columnId, itemId: second.newItemIds[0] }]);

    const after = await stored(a);
    expect(JSON.parse(after.metrics!)).toEqual(counts(7, 1, 1));
    // First-seen version of everything else: text, search text, who fetched it and when.
    expect({ ...after, metrics: before.metrics }).toEqual(before);
    expect(JSON.parse((await stored(b)).metrics!)).toEqual(counts(2));

    const items = await shown();
    expect(items.find((i) => i.id === a)).toMatchObject({ text: 'first words', metrics: counts(7, 1, 1) });
    expect(items.find((i) => i.id === b)).toMatchObject({ metrics: counts(2) });
  });

  it('keeps stored metrics when a poll brings none, and writes nothing when they did not change', async () => {
    const [a] = (await ingest([post('a', 'first words', counts(3))], '2026-01-02T04:00:00.000Z')).newItemIds as [string];
    expect((await ingest([post('a', 'first words', null)], '2026-01-02T05:00:00.000Z')).refreshedItemIds).toEqual([]);
    expect((await ingest([post('a', 'first words', counts(3))], '2026-01-02T06:00:00.000Z')).refreshedItemIds).toEqual([]);
    expect(JSON.parse((await stored(a)).metrics!)).toEqual(counts(3));
  });

  it('refreshes every changed item of a batch larger than one statement', async () => {
    // 700 posts seen again, 600 of them with new counts: more than one update statement's worth.
    const unchanged = (i: number) => i % 7 === 0;
    const many = (round: number) => Array.from({ length: 700 }, (_, i) => post(`p${i}`, `post ${i}`, counts(unchanged(i) ? i : i + round)));
    await ingest(many(0), '2026-01-02T04:00:00.000Z');
    const again = await ingest(many(1000), '2026-01-02T05:00:00.000Z');
    expect(again.newItemIds).toEqual([]);
    expect(again.refreshedItemIds).toHaveLength(600);
    const rows = await app.store.db.selectFrom('stream_items').select(['remote_id', 'metrics']).where('org_id', '=', owner.orgId).execute();
    expect(rows).toHaveLength(700);
    for (const row of rows) {
      const i = Number(row.remote_id.slice(1));
      expect(JSON.parse(row.metrics!)).toEqual(counts(unchanged(i) ? i : i + 1000));
    }
  });

  it('a poll of a real connector brings the new counts of a status it had stored', async () => {
    const counts = { favourites_count: 1, reblogs_count: 0, replies_count: 0 };
    const mastodon = await startContractServer({
      'GET /api/v1/accounts/verify_credentials': () => ({
        json: { id: '109302', username: 'acme', acct: 'acme', display_name: 'Acme', url: 'https://mastodon.example/@acme', avatar: null },
      }),
      'GET /api/v2/instance': () => ({
        json: { domain: 'mastodon.example', configuration: { statuses: { max_characters: 500, characters_reserved_per_url: 23 } } },
      }),
      'GET /api/v1/timelines/home': () => ({ json: [status('500', '<p>Fresh rye today</p>', counts)] }),
    });
    try {
      const org = `/api/orgs/${owner.orgId}`;
      const channel = await owner.client.post(`${org}/channels`, { network: 'mastodon', credentials: { instanceUrl: mastodon.url, accessToken: 'token-1' } });
      expect(channel.status).toBe(201);
      const board = await owner.client.post(`${org}/boards`, { name: 'Mastodon' });
      const home = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'home', channelAccountId: channel.body.channel.id });
      expect(home.status).toBe(201);
      const read = async () => (await owner.client.get(`${org}/columns/${home.body.column.id}/items`)).body.items;

      const clock = movableClock();
      await ingestRound(app, clock);
      expect(await read()).toMatchObject([{ remoteId: '500', text: 'Fresh rye today', metrics: { likes: 1, reposts: 0, replies: 0 } }]);

      Object.assign(counts, { favourites_count: 12, reblogs_count: 3, replies_count: 2 });
      clock.advance(3_600_000);
      await ingestRound(app, clock);
      expect(mastodon.sent('GET /api/v1/timelines/home')).toHaveLength(2);
      expect(await read()).toMatchObject([{ remoteId: '500', text: 'Fresh rye today', metrics: { likes: 12, reposts: 3, replies: 2 } }]);
    } finally {
      await mastodon.close();
    }
  });
});
