/**
 * The proof on a real local Bluesky network (PLC, PDS, AppView from @atproto/dev-env):
 * publish a post with a short link, like and repost it from another account, click the link twice
 * as a browser and once as a crawler; after a metrics pull the reports show 1 like, 1 repost,
 * 2 human clicks and 1 bot click filtered out, the CSV agrees with the API, and the best-time
 * heat map lights the hour the post went out.
 */
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { pullDueMetrics } from '../../src/analytics/metrics-pull.js';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { buildTestServer, setUpOwner, type Person } from '../support/api-client.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { PRIVATE_NETWORK_ALLOWED } from '../support/private-network.js';
import { describeEachStore } from '../support/stores.js';

let network: BlueskyTestNetwork;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  network = await startBlueskyNetwork();
  alice = await network.createAccount('alice');
  bob = await network.createAccount('bob');
}, 120_000);

afterAll(async () => {
  await network?.close();
});

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const CRAWLER = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';

function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

describeEachStore('analytics on a real local Bluesky network', (current, dialect) => {
  let app: FastifyInstance;
  let owner: Person;
  beforeEach(async () => {
    app = await buildTestServer(current().store, { addressPolicy: PRIVATE_NETWORK_ALLOWED, shortLinks: { baseUrl: 'https://go.example.com' } });
    owner = await setUpOwner(app);
  });
  afterEach(() => app.close());

  it('reports 1 like, 1 repost, 2 human clicks and 1 bot click for a published post, in the API and the CSV', async () => {
    const org = `/api/orgs/${owner.orgId}`;
    expect((await owner.client.patch(`${org}/analytics/settings`, { timeZone: 'Asia/Tokyo', utmEnabled: true })).status).toBe(200);
    const channel = (
      await owner.client.post(`${org}/channels`, {
        network: 'bluesky',
        credentials: { service: network.pdsUrl, identifier: alice.handle, appPassword: alice.password },
      })
    ).body.channel;

    const draft = await owner.client.post(`${org}/posts`, {
      text: `Spring sale (${dialect}) https://shop.example.com/spring`,
      channelAccountIds: [channel.id],
      action: 'draft',
      campaign: 'Spring',
    });
    expect(draft.status).toBe(201);
    const postId = draft.body.post.id;
    const shortened = await owner.client.post(`${org}/links/shorten-text`, { text: draft.body.post.text, postId, network: 'bluesky' });
    expect(shortened.status).toBe(201);
    const link = shortened.body.links[0];
    expect(link).toMatchObject({
      postId,
      campaign: 'Spring',
      network: 'bluesky',
      targetUrl: 'https://shop.example.com/spring?utm_source=bluesky&utm_medium=social&utm_campaign=Spring',
    });
    expect((await owner.client.patch(`${org}/posts/${postId}`, { text: shortened.body.text })).status).toBe(200);
    expect((await owner.client.post(`${org}/posts/${postId}/schedule`, { action: 'publish_now' })).status).toBe(200);

    const clock = () => new Date();
    const directory = channelDirectory(app.store.db, clock, app.channels);
    expect(await publishDueTargets({ store: app.store, clock, directory, workerId: 'test-publisher' })).toBe(1);
    const published = (await owner.client.get(`${org}/posts/${postId}`)).body.post.targets[0];
    expect(published.state).toBe('published');

    // Bob likes and reposts it on the network.
    const bobConnector = createBlueskyConnector(
      { service: network.pdsUrl, identifier: bob.handle, appPassword: bob.password },
      { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async () => {} },
    );
    const stored = await app.store.db.selectFrom('post_targets').select(['remote_id', 'remote_cid']).where('id', '=', published.id).executeTakeFirstOrThrow();
    const ref = { remoteId: stored.remote_id!, cid: stored.remote_cid };
    expect((await bobConnector.like(ref)).ok).toBe(true);
    expect((await bobConnector.repost(ref)).ok).toBe(true);
    await network.processAll();

    // Two browser visits, one crawler.
    for (const agent of [BROWSER, BROWSER, CRAWLER]) {
      const visit = await app.inject({ method: 'GET', url: `/s/${link.code}`, headers: { 'user-agent': agent }, remoteAddress: '192.0.2.10' });
      expect(visit.statusCode).toBe(302);
      expect(visit.headers.location).toBe(link.targetUrl);
    }
    await app.clickRecorder.flush();

    expect(await pullDueMetrics({ store: app.store, clock, directory, workerId: 'test-metrics' })).toBe(1);

    const today = DateTime.now().setZone('Asia/Tokyo').toISODate()!;
    const range = `from=${today}&to=${today}`;
    const overview = (await owner.client.get(`${org}/analytics/overview?${range}`)).body.overview;
    expect(overview).toMatchObject({
      postsPublished: { current: 1, previous: 0 },
      engagement: { current: 2, previous: 0 },
      humanClicks: { current: 2, previous: 0 },
      botClicks: { current: 1, previous: 0 },
    });
    expect(overview.followerGrowth.current).toBe(0);

    const posts = await owner.client.get(`${org}/analytics/posts?${range}`);
    expect(posts.status).toBe(200);
    expect(posts.body.posts).toEqual([
      expect.objectContaining({
        postId,
        likes: 1,
        reposts: 1,
        replies: 0,
        quotes: 0,
        engagement: 2,
        humanClicks: 2,
        botClicks: 1,
        campaign: 'Spring',
        networks: ['bluesky'],
        // The local PDS is outside Bluesky's main network: its post's at-uri is no link.
        remoteUrls: [],
      }),
    ]);
    const channels = (await owner.client.get(`${org}/analytics/channels?${range}`)).body.channels;
    expect(channels).toEqual([
      expect.objectContaining({ channelAccountId: channel.id, posts: 1, likes: 1, reposts: 1, humanClicks: 2, botClicks: 1, followers: 0 }),
    ]);
    const campaigns = (await owner.client.get(`${org}/analytics/campaigns?${range}`)).body.campaigns;
    expect(campaigns).toEqual([{ campaign: 'Spring', posts: 1, engagement: 2, humanClicks: 2, botClicks: 1, links: 1 }]);
    const links = (await owner.client.get(`${org}/links`)).body.links;
    expect(links).toEqual([expect.objectContaining({ id: link.id, clicks: { human: 2, bot: 1 } })]);

    // The CSV has the API's numbers.
    const csv = await owner.client.get(`${org}/analytics/csv/posts?${range}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, row] = parseCsv(csv.raw);
    const byColumn = Object.fromEntries(header!.map((name, i) => [name, row![i]]));
    expect(byColumn).toMatchObject({ post_id: postId, likes: '1', reposts: '1', engagement: '2', human_clicks: '2', bot_clicks: '1', campaign: 'Spring' });
    const overviewCsv = parseCsv((await owner.client.get(`${org}/analytics/csv/overview?${range}`)).raw);
    expect(overviewCsv).toEqual(
      expect.arrayContaining([
        ['human_clicks', '2', '0'],
        ['bot_clicks', '1', '0'],
        ['engagement', '2', '0'],
      ]),
    );

    // The heat map lights the hour (Tokyo time) the post went out.
    const best = (await owner.client.get(`${org}/analytics/best-times?channelAccountId=${channel.id}`)).body.bestTimes;
    const at = DateTime.fromISO(published.publishedAt).setZone('Asia/Tokyo');
    expect(best.cells[at.weekday - 1][at.hour]).toBe(2);
    expect(best.suggested[0]).toEqual({ weekday: at.weekday, hour: at.hour, averageEngagement: 2, posts: 1 });
  }, 60_000);
});
