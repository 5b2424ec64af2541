import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import type { ChannelDirectory } from '../../src/channels/channel-directory.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { setUpOwner, type ApiResponse, type Person } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

const CHANNELS = [
  { id: 'bsky-1', network: 'bluesky' as const, displayName: 'Shop on Bluesky' },
  { id: 'masto-1', network: 'mastodon' as const, displayName: 'Shop on Mastodon', textLimit: 500 },
];

/** Exactly once from the click to the network: Publish now sent twice (a double-click, a retry) with one key. */
describeEachStore('Publish now with an Idempotency-Key', (current) => {
  let app: FastifyInstance;
  let network: ScriptedNetwork;
  let owner: Person;
  let directory: ChannelDirectory;
  /** While set, composing a post says so and waits on it (the first request is held in flight). */
  let hold: { entered: () => void; released: Promise<void> } | null = null;
  const now = new Date('2027-05-10T09:00:00Z');

  beforeEach(async () => {
    network = new ScriptedNetwork();
    let orgId = '';
    const scripted = scriptedDirectory(network, () => orgId, CHANNELS);
    directory = scripted;
    const held: ChannelDirectory = {
      ...scripted,
      listChannels: async (org, ids) => {
        if (hold) {
          hold.entered();
          await hold.released;
        }
        return scripted.listChannels(org, ids);
      },
    };
    app = await buildServer({ store: current().store, webRoot: null, clock: () => now, channelDirectory: held });
    owner = await setUpOwner(app);
    orgId = owner.orgId;
  });
  afterEach(() => app.close());

  const publishNow = (key: string): Promise<ApiResponse> =>
    owner.client.request(
      'POST',
      `/api/orgs/${owner.orgId}/posts`,
      { text: 'Spring sale starts now', channelAccountIds: ['bsky-1', 'masto-1'], action: 'publish_now' },
      { 'idempotency-key': key },
    );
  const publishDue = () => publishDueTargets({ store: current().store, clock: () => now, directory, workerId: 'worker-a', leaseMs: 60_000 });
  const postCount = async () => (await current().store.db.selectFrom('posts').select('id').execute()).length;

  it('publishes one post to each network for two requests with one key', async () => {
    const first = await publishNow('click-1');
    const second = await publishNow('click-1');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.raw).toBe(first.raw);
    expect(await postCount()).toBe(1);

    expect(await publishDue()).toBe(2);
    expect(await publishDue()).toBe(0);
    // Targets publish concurrently; which lands first is not the point.
    expect([...network.posts.values()].map((p) => [p.channelId, p.text]).sort()).toEqual([
      ['bsky-1', 'Spring sale starts now'],
      ['masto-1', 'Spring sale starts now'],
    ]);
    expect(network.calls).toHaveLength(2);
    const published = await owner.client.get(`/api/orgs/${owner.orgId}/posts/${first.body.post.id}`);
    expect(published.body.post.status).toBe('published');
  });

  it('answers a repeat that arrives while the first is still composing with 409 and Retry-After, then with the first answer', async () => {
    let release!: () => void;
    let entered!: () => void;
    const composing = new Promise<void>((resolve) => (entered = resolve));
    hold = { entered, released: new Promise((resolve) => (release = resolve)) };
    const first = publishNow('click-2');
    await composing;
    // The first request holds the key and waits on the directory.
    const early = await publishNow('click-2');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('idempotency_in_progress');
    expect(early.headers['retry-after']).toBe('1');

    hold = null;
    release();
    const answered = await first;
    expect(answered.status).toBe(201);
    const late = await publishNow('click-2');
    expect(late.raw).toBe(answered.raw);
    expect(late.headers['idempotent-replayed']).toBe('true');

    expect(await postCount()).toBe(1);
    await publishDue();
    expect(network.posts.size).toBe(2);
  });

  it('without a key, two requests are two posts (the client must send one per intent)', async () => {
    const send = () => owner.client.post(`/api/orgs/${owner.orgId}/posts`, { text: 'Twice', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    await send();
    await send();
    expect(await postCount()).toBe(2);
  });
});
