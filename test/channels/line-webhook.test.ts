/**
 * LINE end to end through the server: a signed webhook delivery becomes chat messages in the
 * channel's 'messages' stream, a redelivery adds nothing, a forgery is refused before parsing,
 * and a reply published through Chorus is a push to the person who wrote, sent once.
 * LINE itself cannot run here: a local server answers with the documented response shapes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { retryKeyFor } from '../../src/channels/line/connector.js';
import { lineSignature } from '../../src/channels/line/signature.js';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { conversationCollector } from '../../src/inbox/collect.js';
import { keepMentionJobs } from '../../src/inbox/worker.js';
import { streamNotifier } from '../../src/streams/live.js';
import { ingestDueJobs } from '../../src/streams/poller.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer, type Reply } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'fedcba9876543210fedcba9876543210';
const BOT_ID = 'Ub0000000000000000000000000000001';
const HANAKO = 'U1111111111111111111111111111111a';
const TARO = 'U2222222222222222222222222222222b';

const textEvent = (id: string, userId: string, text: string, at: number) => ({
  type: 'message',
  mode: 'active',
  timestamp: at,
  source: { type: 'user', userId },
  webhookEventId: `01HX${id}`,
  deliveryContext: { isRedelivery: false },
  replyToken: `reply-${id}`,
  message: { id: `msg-${id}`, type: 'text', quoteToken: `q-${id}`, text },
});

describeEachStore('LINE webhook and replies', (current) => {
  let line: ContractServer;
  let app: FastifyInstance;
  let owner: Person;
  let channelId: string;
  let pushes: number;

  beforeAll(async () => {
    line = await startContractServer();
  });
  afterAll(() => line.close());
  beforeEach(async () => {
    line.requests.length = 0;
    pushes = 0;
    const accepted = new Set<string>();
    line.routes = {
      'GET /v2/bot/info': () => ({ json: { userId: BOT_ID, basicId: '@acme', displayName: 'ACME ベーカリー', chatMode: 'chat', markAsReadMode: 'auto' } }),
      'GET /v2/bot/profile/:userId': (_request, params) =>
        params.userId === HANAKO ? { json: { userId: HANAKO, displayName: '山田花子', language: 'ja' } } : { status: 404, json: { message: 'Not found' } },
      'POST /v2/bot/message/push': (request): Reply => {
        const key = String(request.headers['x-line-retry-key']);
        if (accepted.has(key))
          return { status: 409, json: { message: 'The retry key is already accepted' }, headers: { 'x-line-accepted-request-id': 'req-push-1' } };
        accepted.add(key);
        pushes++;
        return { json: { sentMessages: [{ id: `sent-${pushes}`, quoteToken: 'qt' }] }, headers: { 'x-line-request-id': `req-push-${pushes}` } };
      },
      'GET /v2/bot/message/quota': () => ({ json: { type: 'limited', value: 200 } }),
      'GET /v2/bot/message/quota/consumption': () => ({ json: { totalUsage: 57 } }),
    };
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: 'line-webhook-test-secret-0123456789',
      addressPolicy: { allowPrivateNetwork: true },
    });
    await app.ready();
    owner = await setUpOwner(app);
    const connected = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, {
      network: 'line',
      credentials: { channelAccessToken: 'line-token-'.padEnd(60, 'z'), channelSecret: SECRET, apiBase: line.url },
    });
    expect(connected.status).toBe(201);
    expect(connected.body.channel).toMatchObject({ network: 'line', handle: '@acme', displayName: 'ACME ベーカリー', streams: ['messages'] });
    channelId = connected.body.channel.id;
  });
  afterEach(() => app.close());

  const deliver = (body: unknown, signature?: string) => {
    const payload = JSON.stringify(body);
    return app.inject({
      method: 'POST',
      url: `/webhooks/line/${channelId}`,
      payload,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-line-signature': signature ?? lineSignature(SECRET, Buffer.from(payload)) },
    });
  };
  const messages = async () => (await owner.client.get(`/api/orgs/${owner.orgId}/channels/${channelId}/stream?kind=messages`)).body;

  it('stores a signed delivery before answering, and a redelivery adds nothing', async () => {
    const body = {
      destination: BOT_ID,
      events: [
        textEvent('1', HANAKO, '予約できますか？', Date.parse('2026-12-05T01:00:00Z')),
        textEvent('2', HANAKO, '明日の10時です', Date.parse('2026-12-05T01:01:00Z')),
      ],
    };
    const first = await deliver(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 2, stored: 2 });
    const again = await deliver({ ...body, events: body.events.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } })) });
    expect(again.json()).toEqual({ received: 2, stored: 0 });

    const page = await messages();
    expect(page.items.map((i: { text: string }) => i.text)).toEqual(['明日の10時です', '予約できますか？']);
    expect(page.items[0]).toMatchObject({
      network: 'line',
      remoteId: 'msg-2',
      author: { remoteId: HANAKO, displayName: '山田花子' },
      createdAt: '2026-12-05T01:01:00.000Z',
      // A chat has no reply chain: each message follows its sender's previous one.
      replyToRemoteId: 'msg-1',
    });
    expect(page.items[1].replyToRemoteId).toBeNull();
  });

  it("files each person's chat into one conversation in the inbox", async () => {
    const at = Date.parse('2026-12-05T02:00:00Z');
    const delivered = await deliver({
      destination: BOT_ID,
      events: [
        textEvent('11', HANAKO, '予約できますか？', at),
        textEvent('12', TARO, 'クロワッサンはありますか？', at + 30_000),
        textEvent('13', HANAKO, '明日の10時です', at + 60_000),
      ],
    });
    expect(delivered.json()).toEqual({ received: 3, stored: 3 });
    await keepMentionJobs(app.store, app.clock);
    await ingestDueJobs({
      store: app.store,
      clock: app.clock,
      env: app.channels,
      notifier: streamNotifier(app.store),
      workerId: 'line-inbox-test',
      onNewItems: conversationCollector(app.store, app.clock),
    });

    const list = (await owner.client.get(`/api/orgs/${owner.orgId}/conversations?network=line`)).body;
    expect(list.conversations).toHaveLength(2);
    const hanako = list.conversations.find((c: { author: { handle: string } }) => c.author.handle === HANAKO);
    const detail = (await owner.client.get(`/api/orgs/${owner.orgId}/conversations/${hanako.id}`)).body;
    expect(detail.messages.map((m: { text: string }) => m.text)).toEqual(['予約できますか？', '明日の10時です']);
  });

  it("answers the console's verification delivery (no events) with 200", async () => {
    const verify = await deliver({ destination: BOT_ID, events: [] });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toEqual({ received: 0, stored: 0 });
  });

  it('refuses a forged or altered delivery before reading it, and stores nothing', async () => {
    const body = { destination: BOT_ID, events: [textEvent('3', HANAKO, 'forged', Date.now())] };
    const forged = await deliver(body, lineSignature('0'.repeat(32), Buffer.from(JSON.stringify(body))));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('bad_signature');
    const unsigned = await app.inject({
      method: 'POST',
      url: `/webhooks/line/${channelId}`,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.statusCode).toBe(401);
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/webhooks/line/no-such-channel',
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-line-signature': 'x' },
    });
    expect(elsewhere.statusCode).toBe(404);
    const notLine = await deliver({ destination: 'U-someone-else', events: body.events });
    expect(notLine.statusCode).toBe(400);
    expect(notLine.json().error.code).toBe('wrong_destination');
    const garbage = await deliver({ destination: BOT_ID, events: 'nope' });
    expect(garbage.statusCode).toBe(400);
    expect((await messages()).items).toEqual([]);
  });

  it('publishes a reply as one push to the person who wrote, even when the publish is repeated', async () => {
    await deliver({ destination: BOT_ID, events: [textEvent('4', HANAKO, '営業時間は？', Date.parse('2026-12-05T02:00:00Z'))] });
    const created = await owner.client.post(`/api/orgs/${owner.orgId}/posts`, {
      text: '9時から18時までです',
      channelAccountIds: [channelId],
      action: 'publish_now',
      replyTo: { remoteId: 'msg-4' },
    });
    expect(created.status).toBe(201);
    const directory = channelDirectory(current().store.db, () => new Date(), app.channels);
    expect(await publishDueTargets({ store: current().store, clock: () => new Date(), directory, workerId: 'w' })).toBe(1);
    const post = (await owner.client.get(`/api/orgs/${owner.orgId}/posts/${created.body.post.id}`)).body.post;
    expect(post.status).toBe('published');
    const [push] = line.sent('POST /v2/bot/message/push');
    expect(push!.json).toEqual({ to: HANAKO, messages: [{ type: 'text', text: '9時から18時までです' }] });
    expect(push!.headers['x-line-retry-key']).toBe(retryKeyFor(post.targets[0].id));

    // A worker that lost its lease sends again with the same key: LINE runs it once.
    const opened = await directory.connectorFor(owner.orgId, channelId, owner.userId);
    if (!opened.ok) throw new Error(opened.reason);
    const again = await opened.connector.publish({
      idempotencyKey: post.targets[0].id,
      text: '9時から18時までです',
      replyTo: { remoteId: 'msg-4' },
      attempt: 2,
    });
    expect(again).toMatchObject({ ok: true, value: { alreadyExisted: true } });
    expect(pushes).toBe(1);
  });

  it("shows the month's message quota before a broadcast", async () => {
    const quota = await owner.client.get(`/api/orgs/${owner.orgId}/channels/${channelId}/quota`);
    expect(quota.body).toEqual({ quota: { unit: 'messages', period: 'month', limit: 200, used: 57 } });
  });
});
