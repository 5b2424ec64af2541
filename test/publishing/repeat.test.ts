import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

describeEachStore('repeating posts', (current) => {
  let app: FastifyInstance;
  let network: ScriptedNetwork;
  let owner: Person;
  let now: Date;
  let directory: ReturnType<typeof scriptedDirectory>;
  beforeEach(async () => {
    now = new Date('2027-03-15T00:00:00Z');
    network = new ScriptedNetwork();
    let orgId = '';
    directory = scriptedDirectory(network, () => orgId, [{ id: 'bsky-1', network: 'bluesky', displayName: 'Shop' }]);
    app = await buildServer({ store: current().store, webRoot: null, clock: () => now, channelDirectory: directory });
    owner = await setUpOwner(app);
    orgId = owner.orgId;
  });
  afterEach(() => app.close());
  const posts = () => `/api/orgs/${owner.orgId}/posts`;

  it('repeats weekly at 09:00 Berlin on both sides of the DST change, one ordinary post per occurrence', async () => {
    const created = await owner.client.post(posts(), {
      text: 'Monday specials',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-03-22T09:00', timeZone: 'Europe/Berlin' },
      repeat: { every: 'week', count: 3 },
    });
    expect(created.status).toBe(201);
    expect(created.body.post.seriesId).toEqual(expect.any(String));
    const series = (await owner.client.get(posts())).body.posts.filter((p: any) => p.seriesId === created.body.post.seriesId);
    expect(series.map((p: any) => [p.scheduledLocal, p.dueAt])).toEqual([
      ['2027-03-22T09:00', '2027-03-22T08:00:00.000Z'],
      ['2027-03-29T09:00', '2027-03-29T07:00:00.000Z'],
      ['2027-04-05T09:00', '2027-04-05T07:00:00.000Z'],
    ]);

    now = new Date('2027-03-22T08:00:00Z');
    expect(await publishDueTargets({ store: current().store, clock: () => now, directory, workerId: 'w' })).toBe(1);
    // Cancelling from the second occurrence stops it and the third; the published first one stays.
    const cancelled = await owner.client.post(`${posts()}/${series[1].id}/cancel-series`);
    expect(cancelled.body.posts.map((p: any) => p.status)).toEqual(['cancelled', 'cancelled']);
    now = new Date('2027-04-06T00:00:00Z');
    expect(await publishDueTargets({ store: current().store, clock: () => now, directory, workerId: 'w' })).toBe(0);
    expect([...network.posts.values()].map((p) => p.text)).toEqual(['Monday specials']);
    expect((await owner.client.get(`${posts()}/${series[0].id}`)).body.post.status).toBe('published');
  });

  it('needs a scheduled first time, a sane count, and refuses to cancel a series of one', async () => {
    const now_ = await owner.client.post(posts(), { text: 'x', channelAccountIds: ['bsky-1'], action: 'publish_now', repeat: { every: 'day', count: 2 } });
    expect(now_.status).toBe(400);
    expect(now_.body.error.message).toContain('repeating post needs a scheduled first time');
    const tooMany = await owner.client.post(posts(), {
      text: 'x',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-04-01T09:00', timeZone: 'UTC' },
      repeat: { every: 'day', count: 500 },
    });
    expect(tooMany.status).toBe(400);
    const single = await owner.client.post(posts(), {
      text: 'once',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-04-01T09:00', timeZone: 'UTC' },
    });
    const refused = await owner.client.post(`${posts()}/${single.body.post.id}/cancel-series`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('not_a_series');
  });

  it('repeats monthly on the same day and time', async () => {
    const created = await owner.client.post(posts(), {
      text: 'Newsletter',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-01-31T10:00', timeZone: 'Asia/Tokyo' },
      repeat: { every: 'month', count: 3 },
    });
    const series = (await owner.client.get(posts())).body.posts.filter((p: any) => p.seriesId === created.body.post.seriesId);
    // Luxon clamps to the month's last day: Feb 28, then Mar 31.
    expect(series.map((p: any) => p.scheduledLocal)).toEqual(['2027-01-31T10:00', '2027-02-28T10:00', '2027-03-31T10:00']);
  });
});
