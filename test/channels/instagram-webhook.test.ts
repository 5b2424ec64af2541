/**
 * Instagram's webhook through the server, on the same Meta address as a Page's: Meta's
 * subscription check with the channel's verify token, signed `comments` and `mentions` deliveries
 * stored before the 200 (redeliveries and forgeries add nothing), the stored comment in the
 * mentions stream and the inbox before Graph lists it, a mention's text read once, and a reply to
 * a mention sent once through /{ig-user-id}/mentions. A local server answers with Graph's shapes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { metaSignature } from '../../src/channels/facebook/signature.js';
import { buildServer } from '../../src/app/server.js';
import { conversationCollector } from '../../src/inbox/collect.js';
import { keepMentionJobs } from '../../src/inbox/worker.js';
import { streamNotifier } from '../../src/streams/live.js';
import { ingestDueJobs } from '../../src/streams/poller.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'abcdef0123456789abcdef0123456789';
const IG = '17841400000000002';
const V = '/v21.0';

const comment = (id: string, text: string, from = { id: '9002', username: 'hanako.yamada' }) => ({
  field: 'comments',
  value: { from, media: { id: '17900000000000010', media_product_type: 'FEED' }, id, text },
});

describeEachStore('Instagram webhook', (current) => {
  let graph: ContractServer;
  let app: FastifyInstance;
  let owner: Person;
  let channelId: string;

  beforeAll(async () => {
    graph = await startContractServer();
  });
  afterAll(() => graph.close());
  beforeEach(async () => {
    graph.requests.length = 0;
    graph.routes = {
      [`GET ${V}/${IG}`]: (request) =>
        request.query.get('fields')?.startsWith('mentioned_comment')
          ? { json: { id: IG, mentioned_comment: { id: '17800000000000077', text: '@acme.bakery2 のパンが最高', username: 'taro.s' } } }
          : { json: { id: IG, username: 'acme.bakery2', name: 'ACME ベーカリー' } },
      [`GET ${V}/${IG}/media`]: () => ({ json: { data: [], paging: {} } }),
      [`POST ${V}/${IG}/mentions`]: () => ({ json: { id: '17800000000000099' } }),
    };
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: 'instagram-webhook-test-secret-0123456789',
      addressPolicy: { allowPrivateNetwork: true },
    });
    await app.ready();
    owner = await setUpOwner(app);
    const connected = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, {
      network: 'instagram',
      credentials: { igUserId: IG, accessToken: 'EAAB'.padEnd(60, 'y'), appSecret: SECRET, webhookVerifyToken: 'chorus-ig-verify', apiBase: graph.url },
    });
    expect(connected.status).toBe(201);
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
  const instagram = (...changes: unknown[]) => ({ object: 'instagram', entry: [{ id: IG, time: Math.floor(Date.now() / 1000), changes }] });
  const mentions = async () => (await owner.client.get(`/api/orgs/${owner.orgId}/channels/${channelId}/stream?kind=mentions`)).body;

  it("answers Meta's subscription check with the Instagram channel's verify token", async () => {
    const ok = await app.inject({ method: 'GET', url: `/webhooks/meta/${channelId}?hub.mode=subscribe&hub.verify_token=chorus-ig-verify&hub.challenge=42` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('42');
    const wrong = await app.inject({ method: 'GET', url: `/webhooks/meta/${channelId}?hub.mode=subscribe&hub.verify_token=nope-nope&hub.challenge=42` });
    expect(wrong.statusCode).toBe(403);
  });

  it('stores signed comments and mentions before answering; redeliveries, own comments and forgeries add nothing', async () => {
    const body = instagram(
      comment('17800000000000001', '何時に開店しますか？'),
      comment('17800000000000002', 'ありがとうございます', { id: IG, username: 'acme.bakery2' }),
      { field: 'mentions', value: { media_id: '17900000000000555', comment_id: '17800000000000077' } },
      { field: 'story_insights', value: { media_id: '1', impressions: 3 } },
    );
    const first = await deliver(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 2, stored: 2 });
    expect((await deliver(body)).json()).toEqual({ received: 2, stored: 0 });

    const forged = await deliver(instagram(comment('17800000000000003', 'forged')), metaSignature('0'.repeat(32), Buffer.from('{}')));
    expect(forged.statusCode).toBe(401);
    expect((await deliver({ object: 'page', entry: [] })).statusCode).toBe(400);

    const items = (await mentions()).items;
    expect(items.map((i: { text: string }) => i.text).sort()).toEqual(['@acme.bakery2 のパンが最高', '何時に開店しますか？']);
    expect(items.find((i: { remoteId: string }) => i.remoteId === '17800000000000001')).toMatchObject({
      network: 'instagram',
      author: { handle: 'hanako.yamada', remoteId: '9002' },
      replyToRemoteId: '17900000000000010',
    });
    // The mention's text is read from Graph once, then kept.
    await mentions();
    expect(graph.requests.filter((r) => r.query.get('fields')?.startsWith('mentioned_comment'))).toHaveLength(1);
  });

  it('puts the stored comment in the inbox before Graph lists it, and answers a mention once through /mentions', async () => {
    await deliver(
      instagram(comment('17800000000000011', '予約はできますか？'), {
        field: 'mentions',
        value: { media_id: '17900000000000555', comment_id: '17800000000000077' },
      }),
    );
    await keepMentionJobs(app.store, app.clock);
    await ingestDueJobs({
      store: app.store,
      clock: app.clock,
      env: app.channels,
      notifier: streamNotifier(app.store),
      workerId: 'ig-test',
      onNewItems: conversationCollector(app.store, app.clock),
    });
    const conversations = (await owner.client.get(`/api/orgs/${owner.orgId}/conversations?network=instagram`)).body.conversations;
    expect(conversations.map((c: { author: { handle: string } }) => c.author.handle).sort()).toEqual(['hanako.yamada', 'taro.s']);

    const mention = conversations.find((c: { author: { handle: string } }) => c.author.handle === 'taro.s');
    const replied = await owner.client.post(`/api/orgs/${owner.orgId}/conversations/${mention.id}/replies`, { text: 'ありがとうございます！' });
    expect(replied.status).toBe(201);
    const sent = graph.sent(`POST ${V}/${IG}/mentions`);
    expect(sent).toHaveLength(1);
    expect(Object.fromEntries(['media_id', 'comment_id', 'message'].map((k) => [k, sent[0]!.form?.get(k)]))).toEqual({
      media_id: '17900000000000555',
      comment_id: '17800000000000077',
      message: 'ありがとうございます！',
    });
  });
});
