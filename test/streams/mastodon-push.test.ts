/**
 * Push for Mastodon mentions against a fake instance: the REST API from the contract server, the
 * streaming API from a fake streaming server on another port (named by the instance's
 * `configuration.urls.streaming`). The poll is set an hour away and the ingest loop sleeps an hour
 * between rounds, so only the push (or the catch-up on reconnect) can bring a mention into an open
 * board.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.js';
import { startMastodonPush, type MastodonPush } from '../../src/streams/mastodon-push.js';
import { streamNotifier } from '../../src/streams/live.js';
import { startIngestWorker } from '../../src/streams/worker.js';
import { PASSWORD, buildTestServer, setUpOwner } from '../support/api-client.js';
import { startContractServer, type ContractServer } from '../support/contract-server.js';
import { startFakeStreaming, type FakeStreaming } from '../support/fake-mastodon-streaming.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { until } from '../support/until.js';
import { openSse, signIn, type SseConnection } from './sse-client.js';
import { ingestRound, mastodonStatus } from './support.js';

const TOKEN = 'token-acme';
const ME = { id: '109302', username: 'acme', acct: 'acme', display_name: 'Acme', url: 'https://mastodon.example/@acme', avatar: null };

describeEachStore('Mastodon push for mentions', (current, dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** An instance whose notifications (newest first) the test adds to. */
  async function startInstance(): Promise<{
    rest: ContractServer;
    streaming: FakeStreaming;
    notifications: unknown[];
    mention(id: string, text: string): unknown;
  }> {
    const streaming = await startFakeStreaming([TOKEN]);
    const notifications: unknown[] = [];
    const rest = await startContractServer({
      'GET /api/v1/accounts/verify_credentials': () => ({ json: ME }),
      'GET /api/v2/instance': () => ({
        json: {
          domain: 'mastodon.example',
          configuration: { urls: { streaming: streaming.url }, statuses: { max_characters: 500, characters_reserved_per_url: 23 } },
        },
      }),
      'GET /api/v1/notifications': () => ({ json: notifications }),
    });
    cleanups.push(async () => {
      await streaming.close();
      await rest.close();
    });
    const mention = (id: string, text: string) => {
      const notification = {
        id: `n${id}`,
        type: 'mention',
        created_at: new Date().toISOString(),
        account: mastodonStatus(id, { favourites_count: 0, reblogs_count: 0, replies_count: 0 }).account,
        status: mastodonStatus(id, { favourites_count: 0, reblogs_count: 0, replies_count: 0 }, { content: `<p>${text}</p>` }),
      };
      notifications.unshift(notification);
      return notification;
    };
    return { rest, streaming, notifications, mention };
  }

  async function openBoard(app: FastifyInstance, instanceUrl: string) {
    const owner = await setUpOwner(app);
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, { network: 'mastodon', credentials: { instanceUrl, accessToken: TOKEN } });
    expect(channel.status).toBe(201);
    const board = await owner.client.post(`${org}/boards`, { name: 'Social' });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'mentions', channelAccountId: channel.body.channel.id });
    expect(column.status).toBe(201);
    await ingestRound(app);
    const hourAway = () =>
      app.store.db
        .updateTable('ingest_jobs')
        .set({ next_poll_at: new Date(Date.now() + 3_600_000).toISOString(), watched_until: null })
        .execute();
    await hourAway();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const events = await openSse(`${url}${org}/stream-events`, await signIn(url, owner.email, PASSWORD));
    cleanups.push(async () => events.close());
    // The dashboard's connection marks the job watched and may bring it forward: put it back an hour away.
    await hourAway();
    return { channelId: channel.body.channel.id as string, columnId: column.body.column.id as string, events, hourAway };
  }

  /** Starts the workers and waits for the stream to open and its catch-up poll to finish, then puts the poll an hour away again. */
  async function startWorkers(app: FastifyInstance, channelId: string, hourAway: () => Promise<unknown>): Promise<MastodonPush> {
    const ingest = startIngestWorker({
      store: app.store,
      clock: systemClock,
      env: app.channels,
      notifier: streamNotifier(app.store),
      workerId: 'push-test',
      pollMs: 3_600_000,
    });
    const push = startMastodonPush({
      store: app.store,
      clock: systemClock,
      env: app.channels,
      policy: PRIVATE_NETWORK_ALLOWED,
      wake: () => ingest.wake(),
      refreshMs: 200,
      reconnectMs: { min: 100, max: 400 },
    });
    cleanups.push(async () => {
      await push.stop();
      await ingest.stop();
    });
    const startedAt = Date.now();
    await until(() => push.isConnected(channelId), 10_000, 'the stream to open');
    await caughtUpSince(app, startedAt);
    await hourAway();
    return push;
  }

  const caughtUpSince = (app: FastifyInstance, since: number) =>
    until(
      async () => {
        const job = await app.store.db
          .selectFrom('ingest_jobs')
          .select(['last_polled_at', 'lease_owner'])
          .where('network', '=', 'mastodon')
          .executeTakeFirstOrThrow();
        return job.lease_owner === null && job.last_polled_at !== null && Date.parse(job.last_polled_at) >= since;
      },
      10_000,
      'the catch-up poll',
    );

  const storedWithText = (app: FastifyInstance, text: string) => app.store.db.selectFrom('stream_items').select('id').where('text', '=', text).execute();
  const itemEvent = (events: SseConnection, text: string) => events.next((e) => e.event === 'item' && e.data.item.text === text, 15_000);

  it('a mention pushed on the stream reaches the open board long before the poll, and is stored once', async () => {
    const instance = await startInstance();
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    cleanups.push(() => app.close());
    const { channelId, columnId, events, hourAway } = await openBoard(app, instance.rest.url);
    await startWorkers(app, channelId, hourAway);
    // Found where the instance said it streams, with the token in the header, not the URL.
    expect(instance.streaming.upgrades[0]).toEqual({ stream: 'user:notification', authorization: `Bearer ${TOKEN}` });

    // Damaged and unrelated frames are skipped; the stream stays open.
    instance.streaming.sendRaw(TOKEN, 'not json');
    instance.streaming.sendRaw(TOKEN, JSON.stringify({ event: 'notification', payload: '{"id":' }));
    instance.streaming.send(TOKEN, 'notification', { id: 'n0', type: 'favourite' });
    const polls = instance.rest.sent('GET /api/v1/notifications').length;

    const text = `pushed ${dialect} ${Date.now()}`;
    const notification = instance.mention('700', text);
    expect(instance.streaming.send(TOKEN, 'notification', notification)).toBe(1);
    const item = await itemEvent(events, text);
    expect(item.data.columnIds).toEqual([columnId]);
    expect(await storedWithText(app, text)).toHaveLength(1);
    // One poll, for the mention: the favourite and the damaged frames asked for none.
    expect(instance.rest.sent('GET /api/v1/notifications')).toHaveLength(polls + 1);
  });

  it('a mention sent while the stream is down arrives by the catch-up on reconnect, and no mention is stored twice', async () => {
    const instance = await startInstance();
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    cleanups.push(() => app.close());
    const { channelId, events, hourAway } = await openBoard(app, instance.rest.url);
    const push = await startWorkers(app, channelId, hourAway);

    const before = `before the cut ${dialect} ${Date.now()}`;
    instance.streaming.send(TOKEN, 'notification', instance.mention('801', before));
    await itemEvent(events, before);

    instance.streaming.cut();
    await until(() => !push.isConnected(channelId), 5_000, 'the stream to drop');
    await hourAway();
    // Posted while nobody listens: the stream never carries it.
    const during = `during the cut ${dialect} ${Date.now()}`;
    instance.mention('802', during);
    const cutAt = Date.now();
    instance.streaming.restore();
    await until(() => push.isConnected(channelId), 10_000, 'the stream to reopen');
    expect((await itemEvent(events, during)).data.item.text).toBe(during);
    await caughtUpSince(app, cutAt);
    await hourAway();

    // Pushed again after the reconnect (an instance may repeat itself), and a new one: each stored once.
    const after = `after the cut ${dialect} ${Date.now()}`;
    instance.streaming.send(TOKEN, 'notification', instance.notifications[0]);
    instance.streaming.send(TOKEN, 'notification', instance.mention('803', after));
    await itemEvent(events, after);
    for (const text of [before, during, after]) expect(await storedWithText(app, text), text).toHaveLength(1);
  });

  it('closes the stream of a channel whose last pushed column is removed', async () => {
    const instance = await startInstance();
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    cleanups.push(() => app.close());
    const { channelId, hourAway } = await openBoard(app, instance.rest.url);
    const push = await startWorkers(app, channelId, hourAway);
    await app.store.db.deleteFrom('ingest_jobs').execute();
    await until(() => !push.isConnected(channelId), 5_000, 'the stream to close');
    // The close frame reaches the instance a moment later; until then it still holds the socket.
    await until(() => instance.streaming.connections(TOKEN) === 0, 5_000, 'the instance to see the stream closed');
    expect(instance.streaming.send(TOKEN, 'notification', instance.mention('900', 'nobody listens'))).toBe(0);
  });
});
