/**
 * The inbox on a real local Bluesky network (PLC, PDS and AppView from @atproto/dev-env): a new
 * account's mention opens a conversation and makes a contact through the real connector and
 * ingest; a reply from the inbox threads under it on the PDS and records the first-response time;
 * a second teammate's reply asks for confirmation; liking from the inbox shows and lands, on the
 * message's stream item too (the board shows it; undone there, the inbox shows it undone).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import { conversationCollector } from '../../src/inbox/collect.js';
import { keepMentionJobs } from '../../src/inbox/worker.js';
import { streamListeners, streamNotifier, type StreamChange } from '../../src/streams/live.js';
import { ingestDueJobs } from '../../src/streams/poller.js';
import { buildTestServer, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';

let network: BlueskyTestNetwork;
let shop: TestAccount;

beforeAll(async () => {
  network = await startBlueskyNetwork();
  shop = await network.createAccount('acmestore');
});

afterAll(async () => {
  await network?.close();
});

async function postAs(account: TestAccount, text: string, key: string): Promise<string> {
  const connector = createBlueskyConnector(
    { service: network.pdsUrl, identifier: account.handle, appPassword: account.password },
    { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async () => {} },
  );
  const result = await connector.publish({ idempotencyKey: key, text });
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  await network.processAll();
  return result.value.remoteId;
}

describeEachStore('the inbox on a real local Bluesky network', (current, dialect) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  /** One round of the background work: the inbox's mentions jobs, then ingest filing new items. */
  const backgroundRound = async () => {
    await keepMentionJobs(app.store, app.clock);
    return ingestDueJobs({
      store: app.store,
      clock: app.clock,
      env: app.channels,
      notifier: streamNotifier(app.store),
      workerId: 'inbox-test',
      onNewItems: conversationCollector(app.store, app.clock),
    });
  };

  it('a mention from a new account opens a conversation with a contact; the inbox reply threads on the PDS, records first response, and a second reply asks first', async () => {
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, {
      network: 'bluesky',
      credentials: { service: network.pdsUrl, identifier: shop.handle, appPassword: shop.password },
    });
    expect(channel.status).toBe(201);
    // A brand-new account per dialect run: the network outlives each run.
    const customer = await network.createAccount(`cu${dialect.slice(0, 2)}${Date.now().toString(36).slice(-6)}`);
    const mentionUri = await postAs(customer, `@${shop.handle} 予約の変更はできますか? (${dialect})`, `mention-${dialect}`);

    // No column reads the mentions: the inbox has its own job for them.
    expect(await backgroundRound()).toBe(1);
    const page = (await owner.client.get(`${org}/conversations`)).body;
    const conversation = page.conversations.find((c: { author: { handle: string } }) => c.author.handle === customer.handle);
    expect(conversation).toMatchObject({
      network: 'bluesky',
      status: 'open',
      channelAccountId: channel.body.channel.id,
      firstResponseAt: null,
      contactId: expect.any(String),
    });
    const contact = (await owner.client.get(`${org}/contacts/${conversation.contactId}`)).body.contact;
    expect(contact.identities).toEqual([expect.objectContaining({ network: 'bluesky', handle: customer.handle })]);
    // Polling again files nothing twice.
    await backgroundRound();
    expect((await owner.client.get(`${org}/conversations/${conversation.id}`)).body.messages).toHaveLength(1);

    const replied = await owner.client.post(`${org}/conversations/${conversation.id}/replies`, { text: 'はい、できます。ご希望の日時をお知らせください。' });
    expect(replied.status).toBe(201);
    expect(replied.body.message).toMatchObject({
      direction: 'outbound',
      state: 'sent',
      authorUserId: owner.userId,
      // Sent as the connected account: its handle comes from channels.
      authorHandle: shop.handle,
      remoteId: expect.stringMatching(/^at:\/\//),
    });
    expect(replied.body.conversation.firstResponseAt).toEqual(expect.any(String));
    expect(replied.body.conversation.firstResponseMs).toBeGreaterThanOrEqual(0);

    // On the PDS the reply's parent and root are the customer's mention.
    const rkey = replied.body.message.remoteId.split('/').at(-1);
    const record = await fetch(
      `${network.pdsUrl}/xrpc/com.atproto.repo.getRecord?repo=${encodeURIComponent(shop.did)}&collection=app.bsky.feed.post&rkey=${rkey}`,
    ).then((r) => r.json());
    expect(record.value.reply.parent.uri).toBe(mentionUri);
    expect(record.value.reply.root.uri).toBe(mentionUri);

    // A teammate who had the conversation open sends too: asked first, then sent when confirmed.
    const editor = await invitePerson(owner, 'Eddie Editor', 'editor');
    const second = await editor.client.post(`${org}/conversations/${conversation.id}/replies`, { text: 'Yes, you can!' });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'conversation_already_answered', details: { answeredByUserId: owner.userId } });
    // Sent with an Idempotency-Key and repeated (a lost answer, a double click): one post on the network.
    const send = () =>
      editor.client.request(
        'POST',
        `${org}/conversations/${conversation.id}/replies`,
        { text: 'Yes, you can!', confirm: true },
        { 'idempotency-key': `confirmed-${dialect}` },
      );
    const confirmed = await send();
    expect(confirmed.status).toBe(201);
    const repeated = await send();
    expect([repeated.status, repeated.headers['idempotent-replayed'], repeated.body.message.id]).toEqual([201, 'true', confirmed.body.message.id]);
    const posts = await fetch(
      `${network.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(shop.did)}&collection=app.bsky.feed.post&limit=100`,
    ).then((r) => r.json());
    expect(posts.records.filter((r: any) => r.value.text === 'Yes, you can!' && r.value.reply?.parent.uri === mentionUri)).toHaveLength(1);
    expect(confirmed.body.conversation.firstResponseAt).toBe(replied.body.conversation.firstResponseAt);

    // The customer answers our reply: it joins the same conversation through the reply chain.
    const customerAgent = createBlueskyConnector(
      { service: network.pdsUrl, identifier: customer.handle, appPassword: customer.password },
      { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async () => {} },
    );
    const answer = await customerAgent.publish({
      idempotencyKey: `answer-${dialect}`,
      text: '明日の10時でお願いします',
      replyTo: { remoteId: replied.body.message.remoteId },
    });
    expect(answer.ok).toBe(true);
    await network.processAll();
    await app.store.db
      .updateTable('ingest_jobs')
      .set({ next_poll_at: new Date(0).toISOString() })
      .execute();
    await backgroundRound();
    const detail = (await owner.client.get(`${org}/conversations/${conversation.id}`)).body;
    expect(detail.messages.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'outbound', 'outbound', 'inbound']);
    // The customer wrote last, so a reply is no longer a double answer.
    const inbound = detail.messages.at(-1);

    // Open boards hear of the like (this server has no LISTEN connection: its own process's bus carries it).
    const heard: StreamChange[] = [];
    const stopHearing = streamListeners(app.store, undefined).subscribe(owner.orgId, (change) => heard.push(change));
    const liked = await owner.client.post(`${org}/conversations/${conversation.id}/messages/${inbound.id}/actions`, { action: 'like' });
    stopHearing();
    expect(liked.body.message).toMatchObject({ liked: true, reposted: false });
    expect(heard).toContainEqual({ type: 'reactions', orgId: owner.orgId, itemIds: [inbound.itemId] });
    const likes = await fetch(`${network.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${shop.did}&collection=app.bsky.feed.like`).then((r) => r.json());
    expect(likes.records.map((r: any) => r.value.subject.uri)).toContain(inbound.remoteId);
    expect((await owner.client.get(`${org}/conversations/${conversation.id}`)).body.messages.at(-1).liked).toBe(true);
    // The like is the stream item's as well: the board shows it, and a second like from the inbox sends nothing.
    const item = (await owner.client.post(`${org}/items/${inbound.itemId}/state`, { read: true })).body.item;
    expect(item.viewer).toEqual({ liked: true, reposted: false });
    const again = await owner.client.post(`${org}/conversations/${conversation.id}/messages/${inbound.id}/actions`, { action: 'like' });
    expect(again.body.message).toMatchObject({ liked: true });
    const likesOf = async () =>
      (await fetch(`${network.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${shop.did}&collection=app.bsky.feed.like`).then((r) => r.json())).records.filter(
        (r: any) => r.value.subject.uri === inbound.remoteId,
      );
    expect(await likesOf()).toHaveLength(1);
    // Undone from the board (the account that fetched it): the inbox shows it undone, and the record is gone.
    const undone = await owner.client.post(`${org}/items/${inbound.itemId}/actions`, { action: 'like', undo: true });
    expect(undone.body).toEqual({ ok: true, viewer: { liked: false, reposted: false } });
    expect((await owner.client.get(`${org}/conversations/${conversation.id}`)).body.messages.at(-1)).toMatchObject({ liked: false, reposted: false });
    expect(await likesOf()).toEqual([]);
  });
});
