/**
 * Facebook end to end through the server: connect a Page (local Graph server), Meta's
 * subscription check, a signed comment delivery stored before the 200 and read back in the
 * 'mentions' stream, a redelivery adding nothing, forgeries refused before parsing, and a reply
 * published through Chorus as one comment.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { metaSignature } from '../../src/channels/facebook/signature.js';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'fedcba9876543210fedcba9876543210';
const PAGE_ID = '104857600123456';
const V = '/v21.0';

const commentChange = (id: string, text: string, at: number, from = { id: '9001', name: '山田花子' }) => ({
  field: 'feed',
  value: {
    item: 'comment',
    verb: 'add',
    comment_id: `${PAGE_ID}_1_${id}`,
    post_id: `${PAGE_ID}_1`,
    parent_id: `${PAGE_ID}_1`,
    from,
    message: text,
    created_time: at,
  },
});

describeEachStore('Facebook webhook and replies', (current) => {
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
      [`GET ${V}/${PAGE_ID}`]: () => ({ json: { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery', link: 'https://www.facebook.com/acmebakery' } }),
      [`GET ${V}/${PAGE_ID}/feed`]: () => ({ json: { data: [], paging: {} } }),
      [`GET ${V}/:id/comments`]: () => ({ json: { data: [] } }),
      [`POST ${V}/:id/comments`]: () => ({ json: { id: `${PAGE_ID}_1_reply` } }),
    };
    app = await buildServer({
      store: current().store,
      webRoot: null,
      secretKey: 'meta-webhook-test-secret-0123456789',
      addressPolicy: { allowPrivateNetwork: true },
    });
    await app.ready();
    owner = await setUpOwner(app);
    const connected = await owner.client.post(`/api/orgs/${owner.orgId}/channels`, {
      network: 'facebook',
      credentials: { pageId: PAGE_ID, pageAccessToken: 'EAAB'.padEnd(60, 'z'), appSecret: SECRET, webhookVerifyToken: 'chorus-verify-1', apiBase: graph.url },
    });
    expect(connected.status).toBe(201);
    expect(connected.body.channel).toMatchObject({
      network: 'facebook',
      handle: 'acmebakery',
      displayName: 'ACME ベーカリー',
      streams: ['user_posts', 'mentions', 'messages'],
    });
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
  const mentions = async () => (await owner.client.get(`/api/orgs/${owner.orgId}/channels/${channelId}/stream?kind=mentions`)).body;

  it("answers Meta's subscription check only with the channel's verify token", async () => {
    const ok = await app.inject({
      method: 'GET',
      url: `/webhooks/meta/${channelId}?hub.mode=subscribe&hub.verify_token=chorus-verify-1&hub.challenge=1158201444`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    const wrong = await app.inject({ method: 'GET', url: `/webhooks/meta/${channelId}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1` });
    expect(wrong.statusCode).toBe(403);
    const nowhere = await app.inject({
      method: 'GET',
      url: '/webhooks/meta/no-such-channel?hub.mode=subscribe&hub.verify_token=chorus-verify-1&hub.challenge=1',
    });
    expect(nowhere.statusCode).toBe(404);
  });

  it("stores a signed comment delivery before answering; a redelivery adds nothing; the Page's own comments are not kept", async () => {
    const body = {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1764896400,
          changes: [
            commentChange('10', '予約できますか？', 1764896400),
            commentChange('11', '明日の10時です', 1764896460),
            commentChange('12', 'ありがとうございます', 1764896470, { id: PAGE_ID, name: 'ACME' }),
          ],
        },
      ],
    };
    const first = await deliver(body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: 2, stored: 2 });
    expect((await deliver(body)).json()).toEqual({ received: 2, stored: 0 });
    const page = await mentions();
    expect(page.items.map((i: { text: string }) => i.text)).toEqual(['明日の10時です', '予約できますか？']);
    expect(page.items[0]).toMatchObject({
      network: 'facebook',
      remoteId: `${PAGE_ID}_1_11`,
      author: { remoteId: '9001', displayName: '山田花子' },
      replyToRemoteId: `${PAGE_ID}_1`,
    });
  });

  it('stores posts and comments elsewhere that mention the Page, and reads them in mentions', async () => {
    const mention = (value: Record<string, unknown>) => ({ field: 'mention', value: { verb: 'add', created_time: 1764896500, ...value } });
    const body = {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1764896500,
          changes: [
            mention({ item: 'post', post_id: '5550001_77', sender_id: '9003', sender_name: '佐藤一郎', message: '@ACME ベーカリー のパン最高' }),
            mention({ item: 'comment', post_id: '5550001_78', comment_id: '5550001_78_1', sender_id: '9004', message: 'ACME さんに聞いてみて' }),
            mention({ item: 'post', post_id: '5550001_79', sender_id: '9003', verb: 'edit', message: 'edited' }),
          ],
        },
      ],
    };
    expect((await deliver(body)).json()).toEqual({ received: 2, stored: 2 });
    expect((await deliver(body)).json()).toEqual({ received: 2, stored: 0 });
    const items = (await mentions()).items;
    expect(items.find((i: { remoteId: string }) => i.remoteId === '5550001_77')).toMatchObject({
      text: '@ACME ベーカリー のパン最高',
      author: { remoteId: '9003', displayName: '佐藤一郎' },
      replyToRemoteId: null,
    });
    expect(items.find((i: { remoteId: string }) => i.remoteId === '5550001_78_1')).toMatchObject({ replyToRemoteId: '5550001_78' });
  });

  it('refuses a forged, unsigned or malformed delivery before storing anything', async () => {
    const body = { object: 'page', entry: [{ id: PAGE_ID, changes: [commentChange('20', 'forged', 1764896400)] }] };
    const forged = await deliver(body, metaSignature('0'.repeat(32), Buffer.from(JSON.stringify(body))));
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('bad_signature');
    const unsigned = await app.inject({
      method: 'POST',
      url: `/webhooks/meta/${channelId}`,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.statusCode).toBe(401);
    expect((await deliver({ object: 'page', entry: 'nope' })).statusCode).toBe(400);
    expect((await deliver({ object: 'instagram', entry: [] })).statusCode).toBe(400);
    expect((await mentions()).items).toEqual([]);
  });

  it('publishes a reply to a comment once, and a repeated attempt finds it instead of commenting twice', async () => {
    await deliver({ object: 'page', entry: [{ id: PAGE_ID, changes: [commentChange('30', '営業時間は？', 1764900000)] }] });
    const created = await owner.client.post(`/api/orgs/${owner.orgId}/posts`, {
      text: '9時から18時までです',
      channelAccountIds: [channelId],
      action: 'publish_now',
      replyTo: { remoteId: `${PAGE_ID}_1_30` },
    });
    expect(created.status).toBe(201);
    const directory = channelDirectory(current().store.db, () => new Date(), app.channels);
    expect(await publishDueTargets({ store: current().store, clock: () => new Date(), directory, workerId: 'w' })).toBe(1);
    const post = (await owner.client.get(`/api/orgs/${owner.orgId}/posts/${created.body.post.id}`)).body.post;
    expect(post.status).toBe('published');
    expect(graph.sent(`POST ${V}/${PAGE_ID}_1_30/comments`).map((r) => r.form?.get('message'))).toEqual(['9時から18時までです']);

    graph.routes[`GET ${V}/:id/comments`] = () => ({
      json: {
        data: [{ id: `${PAGE_ID}_1_reply`, message: '9時から18時までです', created_time: '2026-12-05T02:00:00+0000', from: { id: PAGE_ID, name: 'ACME' } }],
      },
    });
    const opened = await directory.connectorFor(owner.orgId, channelId, owner.userId);
    if (!opened.ok) throw new Error(opened.reason);
    const again = await opened.connector.publish({
      idempotencyKey: post.targets[0].id,
      text: '9時から18時までです',
      replyTo: { remoteId: `${PAGE_ID}_1_30` },
      attempt: 2,
    });
    expect(again).toMatchObject({ ok: true, value: { alreadyExisted: true, remoteId: `${PAGE_ID}_1_reply` } });
    expect(graph.sent(`POST ${V}/${PAGE_ID}_1_30/comments`)).toHaveLength(1);
  });
});
