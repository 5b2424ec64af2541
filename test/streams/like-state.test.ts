/**
 * Like and repost state with undo (issue 17), on a real local Bluesky network (PLC, PDS and
 * AppView from @atproto/dev-env): A likes B's post from A's home column, the item then shows it
 * liked, a second like leaves one like record on the PDS, and undo deletes that record. A like
 * or repost made in the Bluesky app shows after a poll (the post view's `viewer.like` / `viewer.repost`).
 */
import { AtpAgent } from '@atproto/api';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { ItemActionAnswer, ItemPage } from '../../core/api/streams.js';
import { ingestRound, movableClock } from './support.js';

let network: BlueskyTestNetwork;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  network = await startBlueskyNetwork();
  alice = await network.createAccount('alice');
  bob = await network.createAccount('bob');
});

afterAll(async () => {
  await network?.close();
});

async function bobPosts(text: string, key: string): Promise<string> {
  const connector = createBlueskyConnector(
    { service: network.pdsUrl, identifier: bob.handle, appPassword: bob.password },
    { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async () => {} },
  );
  const result = await connector.publish({ idempotencyKey: key, text });
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  await network.processAll();
  return result.value.remoteId;
}

/** Alice's like (repost) records of `uri` on her PDS. */
async function recordsOf(collection: 'app.bsky.feed.like' | 'app.bsky.feed.repost', uri: string): Promise<string[]> {
  const listed = await fetch(`${network.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${alice.did}&collection=${collection}&limit=100`).then((r) => r.json());
  return listed.records.filter((r: any) => r.value.subject.uri === uri).map((r: any) => r.uri);
}

describeEachStore('Like and repost state with undo on a real local Bluesky network', (current, dialect) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  it('a like shows on the item, a second like is one record on the PDS, and undo deletes it', async () => {
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, {
      network: 'bluesky',
      credentials: { service: network.pdsUrl, identifier: alice.handle, appPassword: alice.password },
    });
    expect(channel.status).toBe(201);
    const board = await owner.client.post(`${org}/boards`, { name: 'Social' });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'mentions', channelAccountId: channel.body.channel.id });
    expect(column.status).toBe(201);
    const columnId: string = column.body.column.id;

    const uri = await bobPosts(`@${alice.handle} いいね押してね (${dialect})`, `like-state-${dialect}`);
    expect(await ingestRound(app, movableClock())).toBe(1);
    const page = async () => ItemPage.parse((await owner.client.get(`${org}/columns/${columnId}/items`)).body).items.find((i) => i.remoteId === uri)!;
    const item = await page();
    expect(item.viewer).toEqual({ liked: false, reposted: false });
    const act = (body: object, key?: string) =>
      owner.client.request('POST', `${org}/items/${item.id}/actions`, { columnId, ...body }, key ? { 'idempotency-key': key } : {});

    const liked = await act({ action: 'like' }, `like-${dialect}`);
    expect(liked.status).toBe(200);
    expect(ItemActionAnswer.parse(liked.body)).toEqual({ ok: true, viewer: { liked: true, reposted: false } });
    expect((await page()).viewer).toEqual({ liked: true, reposted: false });
    // Shown the same wherever the item appears as that account's: search and the item's state answer.
    const found = ItemPage.parse((await owner.client.get(`${org}/search?q=${encodeURIComponent('いいね押して')}`)).body).items.find((i) => i.id === item.id)!;
    expect(found.viewer).toEqual({ liked: true, reposted: false });
    expect((await owner.client.post(`${org}/items/${item.id}/state`, { read: true })).body.item.viewer).toEqual({ liked: true, reposted: false });
    const [record] = await recordsOf('app.bsky.feed.like', uri);
    expect(record).toBeDefined();

    // The same request repeated (replayed by its key), and a new like: still one record, the same one.
    const replayed = await act({ action: 'like' }, `like-${dialect}`);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect((await act({ action: 'like' }, `like-again-${dialect}`)).body).toEqual({ ok: true, viewer: { liked: true, reposted: false } });
    expect(await recordsOf('app.bsky.feed.like', uri)).toEqual([record]);
    expect(await app.store.db.selectFrom('item_reactions').select(['kind', 'record_id']).where('item_id', '=', item.id).execute()).toEqual([
      { kind: 'like', record_id: record },
    ]);

    // A repost beside it, then undo the like: the like record is gone, the repost stays.
    expect((await act({ action: 'repost' })).body).toEqual({ ok: true, viewer: { liked: true, reposted: true } });
    expect(await recordsOf('app.bsky.feed.repost', uri)).toHaveLength(1);
    const undone = await act({ action: 'like', undo: true }, `unlike-${dialect}`);
    expect(undone.body).toEqual({ ok: true, viewer: { liked: false, reposted: true } });
    expect(await recordsOf('app.bsky.feed.like', uri)).toEqual([]);
    expect((await page()).viewer).toEqual({ liked: false, reposted: true });
    // Undoing again is a no-op; undoing the repost deletes its record.
    expect((await act({ action: 'like', undo: true })).body).toEqual({ ok: true, viewer: { liked: false, reposted: true } });
    expect((await act({ action: 'repost', undo: true })).body).toEqual({ ok: true, viewer: { liked: false, reposted: false } });
    expect(await recordsOf('app.bsky.feed.repost', uri)).toEqual([]);

    // Liked again after undo: one new record.
    expect((await act({ action: 'like' })).body.viewer).toEqual({ liked: true, reposted: false });
    expect(await recordsOf('app.bsky.feed.like', uri)).toHaveLength(1);
  });

  it("a like and repost made in Bluesky's own app show after a poll (their at-uris are what undo deletes), and clear once taken back there", async () => {
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, {
      network: 'bluesky',
      credentials: { service: network.pdsUrl, identifier: alice.handle, appPassword: alice.password },
    });
    const board = await owner.client.post(`${org}/boards`, { name: 'Bob' });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, {
      kind: 'user_posts',
      target: bob.handle,
      channelAccountId: channel.body.channel.id,
    });
    expect(column.status).toBe(201);
    const columnId: string = column.body.column.id;
    const uri = await bobPosts(`Rye from the app (${dialect})`, `app-like-${dialect}`);
    // Alice in the Bluesky app: records with keys of the app's choosing, not Chorus's.
    const bluesky = new AtpAgent({ service: network.pdsUrl });
    await bluesky.login({ identifier: alice.handle, password: alice.password });
    const cid = (await bluesky.getPosts({ uris: [uri] })).data.posts[0]!.cid;
    const liked = await bluesky.like(uri, cid);
    const reposted = await bluesky.repost(uri, cid);
    await network.processAll();

    const clock = movableClock();
    const poll = async () => {
      clock.advance(3_600_000);
      expect(await ingestRound(app, clock)).toBe(1);
    };
    const item = async () => ItemPage.parse((await owner.client.get(`${org}/columns/${columnId}/items`)).body).items.find((i) => i.remoteId === uri)!;
    await poll();
    expect((await item()).viewer).toEqual({ liked: true, reposted: true });
    const itemId = (await item()).id;
    expect(await app.store.db.selectFrom('item_reactions').select(['kind', 'record_id']).where('item_id', '=', itemId).orderBy('kind').execute()).toEqual([
      { kind: 'like', record_id: liked.uri },
      { kind: 'repost', record_id: reposted.uri },
    ]);

    // Undone through Chorus: the app's own like record is deleted.
    const undone = await owner.client.post(`${org}/items/${itemId}/actions`, { columnId, action: 'like', undo: true });
    expect(undone.body).toEqual({ ok: true, viewer: { liked: false, reposted: true } });
    expect(await recordsOf('app.bsky.feed.like', uri)).toEqual([]);

    // The repost taken back in the app: the next poll clears it.
    await bluesky.deleteRepost(reposted.uri);
    await network.processAll();
    await poll();
    expect((await item()).viewer).toEqual({ liked: false, reposted: false });
  });
});
