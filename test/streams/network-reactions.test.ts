/**
 * Likes and reposts the network states when a poll reads items (issue 17): Mastodon statuses carry
 * `favourited` / `reblogged` for the token's account, so a favourite made in Mastodon's own app
 * shows in Chorus and one taken back there is cleared, while a poll whose answer was read before a
 * like or undo through Chorus leaves that newer state alone. A local server answers as the instance.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ItemPage } from '../../core/api/streams.js';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { ingestRound, mastodonStatus, movableClock } from './support.js';

const HOUR = 3_600_000;

describeEachStore('Likes and reposts as the network states them', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let remote: ContractServer;
  const clock = movableClock(Date.parse('2026-12-01T09:00:00.000Z'));
  const org = () => `/api/orgs/${owner.orgId}`;

  beforeEach(async () => {
    remote = await startContractServer();
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED, clock });
    owner = await setUpOwner(app);
  });
  afterEach(async () => {
    await app.close();
    await remote.close();
  });

  it('Mastodon: a favourite or boost made in the app shows, one taken back clears, and a poll older than a Chorus action leaves it', async () => {
    // The instance's view of the token's account on one status.
    const seen = { favourited: true, reblogged: false };
    const status = () => ({ ...mastodonStatus('109990001', { favourites_count: 3, reblogs_count: 1, replies_count: 0 }), ...seen });
    // Runs while the instance is answering a timeline read: what Chorus does during a slow poll.
    let duringRead: (() => Promise<void>) | null = null;
    Object.assign(remote.routes, {
      'GET /api/v1/accounts/verify_credentials': () => ({
        json: { id: '109302', username: 'acme', acct: 'acme', display_name: 'Acme', url: null, avatar: null },
      }),
      'GET /api/v2/instance': () => ({ json: { domain: 'mastodon.example', configuration: { statuses: { max_characters: 500 } } } }),
      'GET /api/v1/timelines/home': async () => {
        const answer = status();
        const action = duringRead;
        duringRead = null;
        await action?.();
        return { json: [answer] };
      },
      'POST /api/v1/statuses/:id/favourite': () => ((seen.favourited = true), { json: status() }),
      'POST /api/v1/statuses/:id/unfavourite': () => ((seen.favourited = false), { json: status() }),
      'POST /api/v1/statuses/:id/reblog': () => ((seen.reblogged = true), { json: { ...status(), id: '109990002', reblog: status() } }),
      'POST /api/v1/statuses/:id/unreblog': () => ((seen.reblogged = false), { json: status() }),
    });
    const channel = await owner.client.post(`${org()}/channels`, { network: 'mastodon', credentials: { instanceUrl: remote.url, accessToken: 'token-1' } });
    expect(channel.status).toBe(201);
    const board = await owner.client.post(`${org()}/boards`, { name: 'Home' });
    const column = await owner.client.post(`${org()}/boards/${board.body.board.id}/columns`, { kind: 'home', channelAccountId: channel.body.channel.id });
    const columnId: string = column.body.column.id;
    const viewer = async () => ItemPage.parse((await owner.client.get(`${org()}/columns/${columnId}/items`)).body).items[0]!.viewer;
    const poll = async () => {
      clock.advance(HOUR);
      expect(await ingestRound(app, clock)).toBe(1);
    };
    const act = async (action: 'like' | 'repost', undo: boolean) => {
      const itemId = ItemPage.parse((await owner.client.get(`${org()}/columns/${columnId}/items`)).body).items[0]!.id;
      clock.advance(1_000);
      expect((await owner.client.post(`${org()}/items/${itemId}/actions`, { columnId, action, undo })).status).toBe(200);
    };

    // Favourited in Mastodon's app before Chorus ever saw the status.
    await poll();
    expect(await viewer()).toEqual({ liked: true, reposted: false });
    // Its undo through Chorus reaches the instance (the status id keys it).
    await act('like', true);
    expect(remote.sent('POST /api/v1/statuses/:id/unfavourite').map((r) => r.path)).toEqual(['/api/v1/statuses/109990001/unfavourite']);
    expect(await viewer()).toEqual({ liked: false, reposted: false });

    // A poll that read the instance before a like through Chorus: the like stays.
    duringRead = () => act('like', false);
    await poll();
    expect(seen.favourited).toBe(true);
    expect(await viewer()).toEqual({ liked: true, reposted: false });
    // And one that read it before an undo through Chorus: the undo stays.
    duringRead = () => act('like', true);
    await poll();
    expect(seen.favourited).toBe(false);
    expect(await viewer()).toEqual({ liked: false, reposted: false });

    // Boosted and favourited in the app: both show; unfavourited there: cleared.
    Object.assign(seen, { favourited: true, reblogged: true });
    await poll();
    expect(await viewer()).toEqual({ liked: true, reposted: true });
    seen.favourited = false;
    await poll();
    expect(await viewer()).toEqual({ liked: false, reposted: true });
    // The boost read from the network is undone through Chorus like one made there.
    await act('repost', true);
    expect(remote.sent('POST /api/v1/statuses/:id/unreblog')).toHaveLength(1);
    expect(await viewer()).toEqual({ liked: false, reposted: false });
  });

  it('items whose network says nothing of the account keep the state Chorus holds; an item read by no account takes none', async () => {
    const item = (viewer?: NormalizedItem['viewer']): NormalizedItem => ({
      network: 'mastodon',
      remoteId: '5',
      url: null,
      author: { remoteId: '1', handle: 'bob@other.example', displayName: 'Bob' },
      text: 'hello',
      html: null,
      links: [],
      media: [],
      replyToRemoteId: null,
      quoteOfRemoteId: null,
      createdAt: '2026-11-30T09:00:00.000Z',
      language: null,
      metrics: null,
      ...(viewer ? { viewer } : {}),
    });
    const channelId = (await owner.client.post(`${org()}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    const store = (channelAccountId: string | null, viewer: NormalizedItem['viewer'] | undefined, fetchedAt: string) =>
      storeIngestedBatch(app.store.db, { orgId: owner.orgId, channelAccountId, items: [item(viewer)], columnIds: [], fetchedAt });
    const held = () => app.store.db.selectFrom('item_reactions').select(['kind', 'record_id', 'undone_at']).orderBy('kind').execute();

    await store(null, { like: { recordId: '5' } }, '2026-12-01T10:00:00.000Z');
    expect(await held()).toEqual([]);
    await store(channelId, { like: { recordId: '5' }, repost: null }, '2026-12-01T10:00:00.000Z');
    expect(await held()).toEqual([{ kind: 'like', record_id: '5', undone_at: null }]);
    // Silent about the like (a stream without the field): kept.
    await store(channelId, undefined, '2026-12-01T11:00:00.000Z');
    await store(channelId, { repost: null }, '2026-12-01T11:00:00.000Z');
    expect(await held()).toEqual([{ kind: 'like', record_id: '5', undone_at: null }]);
    await store(channelId, { like: null }, '2026-12-01T12:00:00.000Z');
    expect(await held()).toEqual([{ kind: 'like', record_id: null, undone_at: '2026-12-01T12:00:00.000Z' }]);
    // An answer read before that: too old to bring it back.
    await store(channelId, { like: { recordId: '5' } }, '2026-12-01T11:30:00.000Z');
    expect(await held()).toEqual([{ kind: 'like', record_id: null, undone_at: '2026-12-01T12:00:00.000Z' }]);
  });
});
