/**
 * LINE image messages through the server, on SQLite and PostgreSQL: a post with an image is a
 * broadcast (a reply: a push) of its text message and an image message, whose two addresses a
 * stand-in for LINE fetches from the running Chorus (CHORUS_PUBLIC_URL), as LINE does, and
 * compares with the uploaded bytes. The retry key still makes a repeated send run once. LINE
 * itself cannot run here: the stand-in answers with the Messaging API's documented shapes.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { retryKeyFor } from '../../src/channels/line/connector.js';
import { lineSignature } from '../../src/channels/line/signature.js';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { fetchImage, startChorusMediaHost, type ChorusMediaHost } from '../support/chorus-media-host.js';
import { startContractServer, type ContractServer, type Reply } from '../support/contract-server.js';
import { describeEachStore } from '../support/stores.js';

const SECRET = 'fedcba9876543210fedcba9876543210';
const BOT_ID = 'Ub0000000000000000000000000000001';
const HANAKO = 'U1111111111111111111111111111111a';
const JPEG = fs.readFileSync(new URL('../fixtures/images/melonpan.jpg', import.meta.url));
const TEXT = '本日のメロンパン、焼き上がりました';

interface ImageMessage {
  type: 'image';
  originalContentUrl: string;
  previewImageUrl: string;
}

describeEachStore('LINE image messages', (current) => {
  let line: ContractServer;
  let chorus: ChorusMediaHost;
  let channelId: string;
  /** Requests LINE ran (a repeated retry key is answered 409 and not counted). */
  let accepted: number;
  /** What LINE got when it fetched each image message's addresses. */
  let fetched: Awaited<ReturnType<typeof fetchImage>>[];

  /** LINE runs a request once per retry key, and fetches an image message's original and preview. */
  const send = (answer: unknown) => {
    const keys = new Set<string>();
    return async (request: { headers: Record<string, string | string[] | undefined>; json?: unknown }): Promise<Reply> => {
      const key = String(request.headers['x-line-retry-key']);
      if (keys.has(key)) return { status: 409, json: { message: 'The retry key is already accepted' }, headers: { 'x-line-accepted-request-id': 'req-1' } };
      keys.add(key);
      accepted++;
      for (const message of (request.json as { messages: { type: string }[] }).messages)
        if (message.type === 'image') {
          const image = message as ImageMessage;
          fetched.push(await fetchImage(image.originalContentUrl), await fetchImage(image.previewImageUrl));
        }
      return { json: answer, headers: { 'x-line-request-id': `req-${accepted}` } };
    };
  };

  beforeEach(async () => {
    accepted = 0;
    fetched = [];
    chorus = await startChorusMediaHost(current().store);
    line = await startContractServer({
      'GET /v2/bot/info': () => ({ json: { userId: BOT_ID, basicId: '@acme', displayName: 'ACME ベーカリー', chatMode: 'chat', markAsReadMode: 'auto' } }),
      'GET /v2/bot/profile/:userId': () => ({ json: { userId: HANAKO, displayName: '山田花子' } }),
      'POST /v2/bot/message/broadcast': send({}),
      'POST /v2/bot/message/push': send({ sentMessages: [{ id: 'sent-1', quoteToken: 'qt' }, { id: 'sent-2' }] }),
    });
    const connected = await chorus.owner.client.post(`/api/orgs/${chorus.owner.orgId}/channels`, {
      network: 'line',
      credentials: { channelAccessToken: 'line-token-'.padEnd(60, 'z'), channelSecret: SECRET, apiBase: line.url },
    });
    expect(connected.status).toBe(201);
    channelId = connected.body.channel.id;
  });
  afterEach(async () => {
    await chorus.close();
    await line.close();
  });

  const org = () => `/api/orgs/${chorus.owner.orgId}`;
  const directory = () => channelDirectory(current().store.db, () => new Date(), chorus.app.channels);
  /** Uploads the JPEG, posts it with `text` now, runs the publisher once and answers the stored post. */
  async function publishWithImage(text: string, replyTo?: string) {
    const media = await chorus.owner.client.post(`${org()}/media`, {
      mimeType: 'image/jpeg',
      dataBase64: JPEG.toString('base64'),
      alt: '焼きたてのメロンパン',
    });
    expect(media.status).toBe(201);
    const created = await chorus.owner.client.post(`${org()}/posts`, {
      text,
      channelAccountIds: [channelId],
      action: 'publish_now',
      mediaIds: [media.body.media.id],
      ...(replyTo ? { replyTo: { remoteId: replyTo } } : {}),
    });
    expect(created.status).toBe(201);
    expect(await publishDueTargets({ store: current().store, clock: () => new Date(), directory: directory(), workerId: 'w' })).toBe(1);
    return (await chorus.owner.client.get(`${org()}/posts/${created.body.post.id}`)).body.post;
  }
  const servedImage = expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/m\/[A-Za-z0-9_-]{43}$/);
  const theJpeg = { status: 200, contentType: 'image/jpeg', bytes: new Uint8Array(JPEG) };

  it('broadcasts the text, then the image LINE fetches from Chorus, once even when the send is repeated', async () => {
    const post = await publishWithImage(TEXT);
    expect(post.status).toBe('published');
    const [broadcast] = line.sent('POST /v2/bot/message/broadcast');
    const messages = (broadcast!.json as { messages: unknown[] }).messages;
    expect(messages).toEqual([
      { type: 'text', text: TEXT },
      { type: 'image', originalContentUrl: servedImage, previewImageUrl: servedImage },
    ]);
    const image = messages[1] as ImageMessage;
    expect(image.originalContentUrl.startsWith(`${chorus.url}/m/`)).toBe(true);
    expect(image.previewImageUrl).toBe(image.originalContentUrl);
    expect(fetched).toEqual([theJpeg, theJpeg]);
    expect(broadcast!.headers['x-line-retry-key']).toBe(retryKeyFor(post.targets[0].id));

    // A worker that lost its lease sends again with the same key: LINE runs it once.
    const opened = await directory().connectorFor(chorus.owner.orgId, channelId, chorus.owner.userId);
    if (!opened.ok) throw new Error(opened.reason);
    const again = await opened.connector.publish({
      idempotencyKey: post.targets[0].id,
      text: TEXT,
      images: [{ data: new Uint8Array(JPEG), mimeType: 'image/jpeg', alt: '焼きたてのメロンパン' }],
      attempt: 2,
    });
    expect(again).toMatchObject({ ok: true, value: { alreadyExisted: true } });
    expect(line.sent('POST /v2/bot/message/broadcast')).toHaveLength(2);
    expect(line.sent('POST /v2/bot/message/broadcast')[1]!.json).toEqual(broadcast!.json);
    expect(accepted).toBe(1);
  });

  it('sends an image without text as the image message alone', async () => {
    expect((await publishWithImage('')).status).toBe('published');
    expect(line.sent('POST /v2/bot/message/broadcast')[0]!.json).toEqual({
      messages: [{ type: 'image', originalContentUrl: servedImage, previewImageUrl: servedImage }],
    });
    expect(fetched).toEqual([theJpeg, theJpeg]);
  });

  it('replies with an image as one push of both messages to the person who wrote', async () => {
    const payload = JSON.stringify({
      destination: BOT_ID,
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp: Date.now(),
          source: { type: 'user', userId: HANAKO },
          webhookEventId: '01HXIMAGE1',
          deliveryContext: { isRedelivery: false },
          replyToken: 'reply-1',
          message: { id: 'msg-1', type: 'text', quoteToken: 'q-1', text: 'メロンパンはまだありますか？' },
        },
      ],
    });
    const delivered = await chorus.app.inject({
      method: 'POST',
      url: `/webhooks/line/${channelId}`,
      payload,
      headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(SECRET, Buffer.from(payload)) },
    });
    expect(delivered.statusCode).toBe(200);
    const post = await publishWithImage('はい、こちらです', 'msg-1');
    expect(post.status).toBe('published');
    expect(line.sent('POST /v2/bot/message/broadcast')).toHaveLength(0);
    expect(line.sent('POST /v2/bot/message/push')[0]!.json).toEqual({
      to: HANAKO,
      messages: [
        { type: 'text', text: 'はい、こちらです' },
        { type: 'image', originalContentUrl: servedImage, previewImageUrl: servedImage },
      ],
    });
    expect(fetched).toEqual([theJpeg, theJpeg]);
  });
});
