/**
 * Messenger into the inbox, end to end through the server: a signed `messaging` delivery is stored
 * before the 200 (a redelivery, an echo of the Page's own send and a forgery add nothing), the
 * inbox's background round files one person's messages into one conversation, and the inbox reply
 * goes out once through the Send API, inside the 24-hour window only. Meta cannot run here: a local
 * server answers with the documented Graph shapes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { metaSignature } from '../../src/channels/facebook/signature.js';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { buildServer } from '../../src/app/server.js';
import { conversationCollector } from '../../src/inbox/collect.js';
import { keepMentionJobs } from '../../src/inbox/worker.js';
import { streamNotifier } from '../../src/streams/live.js';
import { ingestDueJobs } from '../../src/streams/poller.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'fedcba9876543210fedcba9876543210';
const PAGE_ID = '104857600123457';
const HANAKO = '7100000000000001';
const V = '/v21.0';

const messaging = (mid: string, text: string, at: number, extra: Record<string, unknown> = {}) => ({
  sender: { id: HANAKO },
  recipient: { id: PAGE_ID },
  timestamp: at,
  message: { mid, text, ...extra },
});

describeEachStore('Messenger webhook into the inbox', (current) => {
  let graph: ContractServer;
  let app: FastifyInstance;
  let owner: Person;
  let channelId: string;
  let sends: number;

  beforeAll(async () => {
    graph = await startContractServer();
  });
  afterAll(() => graph.close());
  beforeEach(async () => {
    graph.requests.length = 0;
    sends = 0;
    graph.routes = {
      [`GET ${V}/${PAGE_ID}`]: () => ({
        json: { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery2', link: 'https://www.facebook.com/acmebakery2' },
      }),
      [`GET ${V}/${PAGE_ID}/feed`]: () => ({ json: { data: [], paging: {} } }),
      [`GET ${V}/${HANAKO}`]: () => ({ json: { id: HANAKO, name: '山田花子', profile_pic: 'https://scontent.example/hanako.jpg' } }),
      [`POST ${V}/${PAGE_ID}/messages`]: () => {
        sends++;
        return { json: { recipient_id: HANAKO, message_id: `m_sent_${sends}` } };
      },
      [`GET ${V}/${PAGE_ID}/conversations`]: () => ({ json: { data: [] } }),
    };
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: 'messenger-webhook-test-secret-0123456789',
      addressPolicy: { allowPrivateNetwork: true },
    });
    await app.ready();
    owner = await setUpOwner(app);
    const connected = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, {
      network: 'facebook',
      credentials: { pageId: PAGE_ID, pageAccessToken: 'EAAB'.padEnd(60, 'z'), appSecret: SECRET, apiBase: graph.url },
    });
    expect(connected.status).toBe(201);
    expect(connected.body.channel.streams).toEqual(['user_posts', 'mentions', 'messages']);
    channelId = connected.body.channel.id;
  });
  afterEach(() => app.close());

  const deliver = (body: unknown, signature?: string) => {
    const payload = JSON.stringify(body);
    return app.inject({
      method: 'POST',
      url: `/webhooks/meta/${channelId}`,
      payload,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? metaSignature(SECRET, Buffer.from(payload)) },
    });
  };
  const page = (...events: unknown[]) => ({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: events }] });
  const org = () => `/api/orgs/${owner.orgId}`;
  const backgroundRound = async () => {
    await keepMentionJobs(app.store, app.clock);
    return ingestDueJobs({
      store: app.store,
      clock: app.clock,
      env: app.channels,
      notifier: streamNotifier(app.store),
      workerId: 'messenger-test',
      onNewItems: conversationCollector(app.store, app.clock),
    });
  };

  it('stores signed messages before answering; redeliveries, echoes and forgeries add nothing', async () => {
    const now = Date.now();
    const body = page(
      messaging('m_1', '予約できますか？', now - 60_000),
      messaging('m_2', '', now - 30_000, { attachments: [{ type: 'image', payload: { url: 'https://scontent.example/1.jpg' } }] }),
      // The Page's own send, echoed back, and a read receipt: neither is something a person said.
      { sender: { id: PAGE_ID }, recipient: { id: HANAKO }, timestamp: now, message: { mid: 'm_echo', text: 'hi', is_echo: true, app_id: 1 } },
      { sender: { id: HANAKO }, recipient: { id: PAGE_ID }, timestamp: now, read: { watermark: now } },
    );
    const first = await deliver(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 2, stored: 2 });
    expect((await deliver(body)).json()).toEqual({ received: 2, stored: 0 });

    const forged = await deliver(page(messaging('m_3', 'forged', now)), metaSignature('0'.repeat(32), Buffer.from('{}')));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('bad_signature');
    expect((await deliver({ object: 'instagram', entry: [] })).statusCode).toBe(400);

    const stream = (await owner.client.get(`${org()}/channels/${channelId}/stream?kind=messages`)).body;
    expect(stream.items.map((i: { text: string }) => i.text)).toEqual(['[image]', '予約できますか？']);
    expect(stream.items[0]).toMatchObject({
      network: 'facebook',
      remoteId: 'm_2',
      author: { remoteId: HANAKO, displayName: '山田花子' },
      replyToRemoteId: 'm_1',
    });
    expect(stream.items[1].replyToRemoteId).toBeNull();
  });

  it("files a person's messages into one conversation and sends the inbox reply once through the Send API", async () => {
    const now = Date.now();
    await deliver(page(messaging('m_10', '営業時間は？', now - 120_000)));
    expect(await backgroundRound()).toBeGreaterThanOrEqual(2); // mentions and messages
    await deliver(page(messaging('m_11', '土曜日もですか？', now - 60_000)));
    // The webhook made the messages job due at once: the next round reads it, not the next poll.
    expect(await backgroundRound()).toBeGreaterThanOrEqual(1);

    const list = (await owner.client.get(`${org()}/conversations?network=facebook`)).body;
    expect(list.conversations).toHaveLength(1);
    expect(list.conversations[0].author).toMatchObject({ handle: HANAKO, displayName: '山田花子' });
    const conversationId = list.conversations[0].id;
    const detail = (await owner.client.get(`${org()}/conversations/${conversationId}`)).body;
    expect(detail.messages.map((m: { text: string }) => m.text)).toEqual(['営業時間は？', '土曜日もですか？']);
    // A Messenger message is not a Graph object that takes likes: the message says it is direct, and a like is refused unsent.
    expect(detail.messages.map((m: { direct: boolean }) => m.direct)).toEqual([true, true]);
    const like = await owner.client.post(`${org()}/conversations/${conversationId}/messages/${detail.messages[0].id}/actions`, { action: 'like' });
    expect(like.status).toBe(422);
    expect(like.body.error).toMatchObject({ code: 'unsupported_action', message: 'A facebook direct message cannot be liked from Chorus' });
    expect(graph.requests.filter((r) => r.path.endsWith('/likes'))).toEqual([]);

    const replied = await owner.client.post(`${org()}/conversations/${conversationId}/replies`, { text: '土曜日も9時から18時までです' });
    expect(replied.status).toBe(201);
    expect(replied.body.message).toMatchObject({ state: 'sent', remoteId: 'm_sent_1' });
    const [send] = graph.sent(`POST ${V}/${PAGE_ID}/messages`);
    expect(send!.json).toEqual({ recipient: { id: HANAKO }, messaging_type: 'RESPONSE', message: { text: '土曜日も9時から18時までです' } });
    expect(send!.query.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/);
    expect(sends).toBe(1);

    // A repeated attempt (a worker that lost its lease) finds the sent message instead of sending twice.
    graph.routes[`GET ${V}/${PAGE_ID}/conversations`] = () => ({
      json: {
        data: [
          {
            id: 't_1',
            messages: { data: [{ id: 'm_sent_1', message: '土曜日も9時から18時までです', created_time: new Date().toISOString(), from: { id: PAGE_ID } }] },
          },
        ],
      },
    });
    const opened = await channelDirectory(current().store.db, () => new Date(), app.channels).connectorFor(owner.orgId, channelId, owner.userId);
    if (!opened.ok) throw new Error(opened.reason);
    const again = await opened.connector.publish({ idempotencyKey: 'k', text: '土曜日も9時から18時までです', replyTo: { remoteId: 'm_11' }, attempt: 2 });
    expect(again).toMatchObject({ ok: true, value: { alreadyExisted: true, remoteId: 'm_sent_1' } });
    expect(graph.sent(`GET ${V}/${PAGE_ID}/conversations`)[0]!.query.get('user_id')).toBe(HANAKO);
    expect(sends).toBe(1);
  });

  it("refuses a reply outside Meta's 24-hour window without calling the Send API", async () => {
    await deliver(page(messaging('m_20', '先週の注文について', Date.now() - 25 * 60 * 60_000)));
    await backgroundRound();
    const [conversation] = (await owner.client.get(`${org()}/conversations?network=facebook`)).body.conversations;
    const refused = await owner.client.post(`${org()}/conversations/${conversation.id}/replies`, { text: 'お返事が遅れました' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('messaging_window_closed');
    expect(refused.body.error.message).toContain('24 hours');
    expect(sends).toBe(0);
  });
});
