/**
 * The whole ingest path on a real local Bluesky network (PLC, PDS and AppView from
 * @atproto/dev-env): account B mentions account A, and A's Mentions column receives it through
 * the real connector, the poll job and the store, once however often it is polled.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
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

describeEachStore('Bluesky mentions column on a real local network', (current, dialect) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  it("B's mention of A reaches A's Mentions column once, and A can like it from there", async () => {
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, {
      network: 'bluesky',
      credentials: { service: network.pdsUrl, identifier: alice.handle, appPassword: alice.password },
    });
    expect(channel.status).toBe(201);
    const board = await owner.client.post(`${org}/boards`, { name: 'Social' });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'mentions', channelAccountId: channel.body.channel.id });
    expect(column.status).toBe(201);

    const uri = await bobPosts(`@${alice.handle} 新作の予約はいつから? (${dialect})`, `mention-${dialect}`);
    const clock = movableClock();
    expect(await ingestRound(app, clock)).toBe(1);
    clock.advance(60 * 60_000);
    expect(await ingestRound(app, clock)).toBe(1);

    const items = (await owner.client.get(`${org}/columns/${column.body.column.id}/items`)).body.items;
    const mention = items.find((i: { remoteId: string }) => i.remoteId === uri);
    expect(mention).toMatchObject({
      network: 'bluesky',
      text: `@${alice.handle} 新作の予約はいつから? (${dialect})`,
      author: { handle: bob.handle },
      read: false,
      channelAccountId: channel.body.channel.id,
    });
    const stored = await app.store.db.selectFrom('stream_items').select('id').where('remote_id', '=', uri).execute();
    expect(stored).toHaveLength(1);
    // The network outlives each dialect's run, so earlier mentions of A may be there too.
    expect((await owner.client.get(`${org}/search?q=${encodeURIComponent('予約')}`)).body.items.map((i: { id: string }) => i.id)).toContain(mention.id);

    const liked = await owner.client.post(`${org}/items/${mention.id}/actions`, { action: 'like', columnId: column.body.column.id });
    expect(liked.body).toEqual({ ok: true, viewer: { liked: true, reposted: false } });
    const likes = await fetch(`${network.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${alice.did}&collection=app.bsky.feed.like`).then((r) => r.json());
    expect(likes.records.map((r: any) => r.value.subject.uri)).toContain(uri);
  });
});
