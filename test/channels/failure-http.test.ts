import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failed, type ChannelConnector, type ConnectorFailure } from '../../src/channels/connector.js';
import type { ChannelDirectory } from '../../src/channels/channel-directory.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { normalizedItem } from '../support/normalized-item.js';
import { describeEachStore } from '../support/stores.js';

/**
 * One failure of a network, one HTTP answer: a like that fails because the account needs
 * reconnecting answers what a stream read answers for the same failure (409, as
 * test/channels/channels-api.test.ts checks for reads). Liking used to answer 422.
 */
describeEachStore('connector failures over HTTP', (current) => {
  let app: FastifyInstance;
  let owner: Person;
  let next: ConnectorFailure;
  const org = () => `/api/orgs/${owner.orgId}`;

  beforeEach(async () => {
    const connector = {
      network: 'mastodon',
      capabilities: { like: true, repost: true },
      like: async () => failed(next),
      repost: async () => failed(next),
    } as unknown as ChannelConnector;
    const directory: ChannelDirectory = { listChannels: async () => [], listAllChannels: async () => [], connectorFor: async () => ({ ok: true, connector }) };
    app = await buildTestServer(current().store, { channelDirectory: directory });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  it('answers a like with the same status and code as a stream read, for every kind of failure', async () => {
    const channelId: string = (await owner.client.post(`${org()}/channels`, { network: 'team', credentials: {} })).body.channel.id;
    const stored = await storeIngestedBatch(app.store.db, {
      orgId: owner.orgId,
      channelAccountId: channelId,
      items: [normalizedItem({ remoteId: 'post-1' })],
      columnIds: [],
      fetchedAt: new Date().toISOString(),
    });
    const like = () => owner.client.post(`${org()}/items/${stored.newItemIds[0]}/actions`, { action: 'like' });

    next = { kind: 'auth', message: 'token revoked' };
    const reconnect = await like();
    expect(reconnect.status).toBe(409);
    expect(reconnect.body.error.code).toBe('channel_needs_reconnect');

    next = { kind: 'rate_limited', message: 'slow down', retryAfterMs: 61_500 };
    const limited = await like();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('channel_rate_limited');
    expect(limited.headers['retry-after']).toBe('62');

    next = { kind: 'transient', message: 'server down' };
    expect((await like()).body.error.code).toBe('channel_unavailable');

    next = { kind: 'permanent', message: 'post was deleted', code: 'post_deleted' };
    const rejected = await like();
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.code).toBe('post_deleted');
  });
});
