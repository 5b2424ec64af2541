/**
 * Push for Bluesky mentions on a real local network (PLC, PDS, AppView from @atproto/dev-env):
 * the PDS's own `com.atproto.sync.subscribeRepos` stream stands in for a relay. The poll is set an
 * hour away and the ingest loop sleeps an hour between rounds, so only the push can bring a
 * mention into an open board. The stream goes through a local TCP relay the test can cut, to
 * show a mention posted while the stream is down still arrives once, and quickly.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import { systemClock } from '../../src/lib/clock.js';
import { startBlueskyPush, type BlueskyPush } from '../../src/streams/bluesky-push.js';
import { readPushCursor, savePushCursor } from '../../src/streams/push-cursors.js';
import { streamNotifier } from '../../src/streams/live.js';
import { startIngestWorker } from '../../src/streams/worker.js';
import { PASSWORD, buildTestServer, setUpOwner } from '../support/api-client.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';
import { until } from '../support/until.js';
import { openSse, signIn, type SseConnection } from './sse-client.js';
import { ingestRound } from './support.js';

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
  return result.value.remoteId;
}

/** A TCP relay to the PDS that can drop every connection and refuse new ones while cut. */
async function cuttableRelay(target: URL): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/xrpc/com.atproto.sync.subscribeRepos`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeEachStore('Bluesky push for mentions', (current, dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function openBoard(app: FastifyInstance) {
    const owner = await setUpOwner(app);
    const org = `/api/orgs/${owner.orgId}`;
    const channel = await owner.client.post(`${org}/channels`, {
      network: 'bluesky',
      credentials: { service: network.pdsUrl, identifier: alice.handle, appPassword: alice.password },
    });
    expect(channel.status).toBe(201);
    const board = await owner.client.post(`${org}/boards`, { name: 'Social' });
    const column = await owner.client.post(`${org}/boards/${board.body.board.id}/columns`, { kind: 'mentions', channelAccountId: channel.body.channel.id });
    expect(column.status).toBe(201);
    // The first read fills the column; then the next poll is an hour away.
    await ingestRound(app);
    const hourAway = () =>
      app.store.db
        .updateTable('ingest_jobs')
        .set({ next_poll_at: new Date(Date.now() + 3_600_000).toISOString(), watched_until: null })
        .execute();
    await hourAway();
    return { owner, org, columnId: column.body.column.id as string, hourAway };
  }

  async function startWorkers(app: FastifyInstance, firehoseUrl: string): Promise<BlueskyPush & { restart(): Promise<BlueskyPush> }> {
    const ingest = startIngestWorker({
      store: app.store,
      clock: systemClock,
      env: app.channels,
      notifier: streamNotifier(app.store),
      workerId: 'push-test',
      pollMs: 3_600_000,
    });
    cleanups.push(() => ingest.stop());
    const startPush = async () => {
      const push = startBlueskyPush({
        store: app.store,
        clock: systemClock,
        url: firehoseUrl,
        wake: () => ingest.wake(),
        retryMs: 300,
        reconnectMs: { min: 100, max: 400 },
      });
      cleanups.push(() => push.stop());
      await until(() => push.connected, 10_000, 'the stream to open');
      return push;
    };
    return Object.assign(await startPush(), { restart: startPush });
  }

  async function listen(app: FastifyInstance, email: string, org: string): Promise<SseConnection> {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const events = await openSse(`${url}${org}/stream-events`, await signIn(url, email, PASSWORD));
    cleanups.push(async () => events.close());
    return events;
  }

  it('a mention reaches the open board by push, long before the poll, and is stored once', async () => {
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    cleanups.push(() => app.close());
    const { owner, org, columnId, hourAway } = await openBoard(app);
    const events = await listen(app, owner.email, org);
    // The dashboard's connection marks the job watched and may bring it forward: put it back an hour away.
    await hourAway();
    await startWorkers(app, `${network.pdsUrl.replace(/^http/, 'ws')}/xrpc/com.atproto.sync.subscribeRepos`);

    const text = `@${alice.handle} push ${dialect} ${Date.now()}`;
    const uri = await bobPosts(text, `push-${dialect}`);
    const item = await events.next((e) => e.event === 'item' && e.data.item.text === text, 15_000);
    expect(item.data.columnIds).toEqual([columnId]);
    const stored = await app.store.db.selectFrom('stream_items').select('id').where('remote_id', '=', uri).execute();
    expect(stored).toHaveLength(1);
  });

  it('a mention posted while the stream is cut arrives once when it is back', async () => {
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    cleanups.push(() => app.close());
    const { owner, org, hourAway } = await openBoard(app);
    const events = await listen(app, owner.email, org);
    await hourAway();
    const relay = await cuttableRelay(new URL(network.pdsUrl));
    cleanups.push(() => relay.close());
    const push = await startWorkers(app, relay.url);

    const before = `@${alice.handle} before the cut ${dialect} ${Date.now()}`;
    await bobPosts(before, `before-${dialect}`);
    await events.next((e) => e.event === 'item' && e.data.item.text === before, 15_000);
    const cursorBefore = push.cursor;
    expect(cursorBefore).not.toBeNull();

    relay.cut();
    await until(() => !push.connected, 5_000, 'the stream to drop');
    await hourAway();
    const during = `@${alice.handle} during the cut ${dialect} ${Date.now()}`;
    const duringUri = await bobPosts(during, `during-${dialect}`);
    await network.processAll();
    relay.restore();
    await until(() => push.connected, 10_000, 'the stream to reopen');
    const item = await events.next((e) => e.event === 'item' && e.data.item.text === during, 15_000);
    expect(item.data.item.text).toBe(during);
    // Resumed after the cursor: the stream moved on past the post made while cut.
    await until(() => (push.cursor ?? 0) > cursorBefore!, 5_000, 'the cursor to move');

    // And once more after the reconnect, still by push.
    await hourAway();
    const after = `@${alice.handle} after the cut ${dialect} ${Date.now()}`;
    await bobPosts(after, `after-${dialect}`);
    await events.next((e) => e.event === 'item' && e.data.item.text === after, 15_000);

    for (const text of [before, during, after]) {
      const rows = await app.store.db.selectFrom('stream_items').select('id').where('text', '=', text).execute();
      expect(rows, text).toHaveLength(1);
    }
    const duringRows = await app.store.db.selectFrom('stream_items').select('id').where('remote_id', '=', duringUri).execute();
    expect(duringRows).toHaveLength(1);
  });

  it('a mention posted while the reader is stopped is replayed from the saved cursor when it starts again', async () => {
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    cleanups.push(() => app.close());
    const { owner, org, hourAway } = await openBoard(app);
    const events = await listen(app, owner.email, org);
    await hourAway();
    const url = `${network.pdsUrl.replace(/^http/, 'ws')}/xrpc/com.atproto.sync.subscribeRepos`;
    const first = await startWorkers(app, url);

    const before = `@${alice.handle} before the restart ${dialect} ${Date.now()}`;
    await bobPosts(before, `restart-before-${dialect}`);
    await events.next((e) => e.event === 'item' && e.data.item.text === before, 15_000);
    // Saved within about a second, without a stop.
    await until(async () => (await readPushCursor(app.store.db, url)) === first.cursor, 5_000, 'the cursor to be saved');
    await first.stop();
    const saved = await readPushCursor(app.store.db, url);
    expect(saved).toBe(first.cursor);

    await hourAway();
    const during = `@${alice.handle} while stopped ${dialect} ${Date.now()}`;
    const duringUri = await bobPosts(during, `restart-during-${dialect}`);
    await network.processAll();
    const second = await first.restart();
    // Nothing was posted since the restart: only a replay from the saved cursor moves it.
    await until(() => (second.cursor ?? 0) > saved!, 10_000, 'the replay to move the cursor');
    await events.next((e) => e.event === 'item' && e.data.item.text === during, 15_000);
    expect(await app.store.db.selectFrom('stream_items').select('id').where('remote_id', '=', duringUri).execute()).toHaveLength(1);
  });

  it('a saved cursor the stream refuses is dropped: it reads from now on, and pushes again', async () => {
    const app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED });
    cleanups.push(() => app.close());
    const { owner, org, hourAway } = await openBoard(app);
    const events = await listen(app, owner.email, org);
    await hourAway();
    const url = `${network.pdsUrl.replace(/^http/, 'ws')}/xrpc/com.atproto.sync.subscribeRepos`;
    // Further than the PDS has written: it answers FutureCursor, as a relay answers one past its window.
    const refused = 1_000_000_000;
    await savePushCursor(app.store.db, url, refused, new Date().toISOString());
    const push = await startWorkers(app, url);
    await until(async () => (await readPushCursor(app.store.db, url)) !== refused, 10_000, 'the refused cursor to be dropped');
    await until(() => push.connected, 10_000, 'the stream to reopen from now');

    await hourAway();
    const text = `@${alice.handle} after a refused cursor ${dialect} ${Date.now()}`;
    await bobPosts(text, `refused-${dialect}`);
    await events.next((e) => e.event === 'item' && e.data.item.text === text, 15_000);
    await until(async () => ((await readPushCursor(app.store.db, url)) ?? refused) < refused, 5_000, 'a real cursor to be saved');
  });
});
