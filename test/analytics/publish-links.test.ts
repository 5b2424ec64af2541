import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueskyRules } from '../../core/networks/bluesky.js';
import { countGraphemes } from '../../core/networks/text-measure.js';
import { publishLinkShortener } from '../../src/analytics/publish-links.js';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { setUpOwner, type Person } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

const BASE = 'https://go.example.com';

describeEachStore('short links made when a post is published', (current) => {
  let app: FastifyInstance;
  let network: ScriptedNetwork;
  let owner: Person;
  let now: Date;
  let directory: ReturnType<typeof scriptedDirectory>;
  beforeEach(async () => {
    now = new Date('2027-03-15T00:00:00Z');
    network = new ScriptedNetwork();
    let orgId = '';
    directory = scriptedDirectory(network, () => orgId, [
      { id: 'bsky-1', network: 'bluesky', displayName: 'Shop' },
      { id: 'masto-1', network: 'mastodon', displayName: 'Shop' },
    ]);
    app = await buildServer({ store: current().store, webRoot: null, clock: () => now, channelDirectory: directory, shortLinks: { baseUrl: BASE } });
    owner = await setUpOwner(app);
    orgId = owner.orgId;
  });
  afterEach(() => app.close());
  const publish = () =>
    publishDueTargets({
      store: current().store,
      clock: () => now,
      directory,
      workerId: 'w',
      rewriteText: publishLinkShortener(current().store.db, () => now, BASE),
    });
  const links = async () => (await owner.client.get(`/api/orgs/${owner.orgId}/links?limit=50`)).body.links as any[];

  it('sends the org default’s short links, one per link and target with UTM per network and campaign, reused by a retry', async () => {
    expect((await owner.client.patch(`/api/orgs/${owner.orgId}/analytics/settings`, { shortenLinks: true, utmEnabled: true })).status).toBe(200);
    network.failNext('bsky-1', { kind: 'transient', message: 'timeout' });
    const created = await owner.client.post(`/api/orgs/${owner.orgId}/posts`, {
      text: 'Spring sale https://shop.example/sale and again https://shop.example/sale, map: https://maps.example/x.',
      channelAccountIds: ['bsky-1', 'masto-1'],
      action: 'publish_now',
      campaign: 'spring',
    });
    expect(created.status).toBe(201);
    await publish();
    // Bluesky failed once and is retried later: the retry must send the codes of the first attempt.
    now = new Date('2027-03-15T01:00:00Z');
    await publish();
    const sent = [...network.posts.values()];
    expect(sent).toHaveLength(2);
    const made = await links();
    expect(made).toHaveLength(4); // 2 distinct URLs × 2 targets; the retry made none
    for (const post of sent) {
      const net = post.channelId === 'bsky-1' ? 'bluesky' : 'mastodon';
      const mine = made.filter((l) => l.network === net);
      expect(mine).toHaveLength(2);
      const sale = mine.find((l) => l.url === 'https://shop.example/sale')!;
      const map = mine.find((l) => l.url === 'https://maps.example/x')!;
      expect(post.text).toBe(`Spring sale ${sale.shortUrl} and again ${sale.shortUrl}, map: ${map.shortUrl}.`);
      expect(sale.shortUrl).toMatch(/^https:\/\/go\.example\.com\/s\/[A-Za-z0-9_-]{11}$/);
      expect(sale).toMatchObject({
        postId: created.body.post.id,
        campaign: 'spring',
        targetUrl: `https://shop.example/sale?utm_source=${net}&utm_medium=social&utm_campaign=spring`,
      });
    }
    const redirect = await app.inject({ url: new URL(made[0].shortUrl).pathname });
    expect(redirect.statusCode).toBe(302);
  });

  it('gives the same codes when one target is rewritten twice (a send whose answer was lost)', async () => {
    await owner.client.patch(`/api/orgs/${owner.orgId}/analytics/settings`, { shortenLinks: true });
    const created = await owner.client.post(`/api/orgs/${owner.orgId}/posts`, {
      text: 'See https://a.example/',
      channelAccountIds: ['bsky-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-04-01T09:00', timeZone: 'UTC' },
    });
    const rewrite = publishLinkShortener(current().store.db, () => now, BASE);
    const input = { orgId: owner.orgId, postId: created.body.post.id, targetId: 'target-1', network: 'bluesky', text: 'See https://a.example/' };
    const [first, second] = await Promise.all([rewrite(input), rewrite(input)]);
    expect(second).toBe(first);
    expect(await rewrite(input)).toBe(first);
    expect(first).toMatch(/^See https:\/\/go\.example\.com\/s\/[A-Za-z0-9_-]{11}$/);
    expect(await links()).toHaveLength(1);
  });

  it('leaves the text alone when the org does not shorten links', async () => {
    await owner.client.post(`/api/orgs/${owner.orgId}/posts`, { text: 'Plain https://shop.example/', channelAccountIds: ['bsky-1'], action: 'publish_now' });
    await publish();
    expect([...network.posts.values()].map((p) => p.text)).toEqual(['Plain https://shop.example/']);
    expect(await links()).toHaveLength(0);
  });

  it('follows the post’s own toggle over the org default, both ways', async () => {
    const make = (text: string, shortenLinks: boolean | null) =>
      owner.client.post(`/api/orgs/${owner.orgId}/posts`, { text, channelAccountIds: ['bsky-1'], action: 'publish_now', shortenLinks });
    const on = await make('On https://on.example/', true);
    expect(on.body.post.shortenLinks).toBe(true);
    await publish();
    await owner.client.patch(`/api/orgs/${owner.orgId}/analytics/settings`, { shortenLinks: true });
    expect((await make('Off https://off.example/', false)).body.post.shortenLinks).toBe(false);
    expect((await make('Default https://default.example/', null)).body.post.shortenLinks).toBe(null);
    await publish();
    const texts = [...network.posts.values()].map((p) => p.text);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^On https:\/\/go\.example\.com\/s\//);
    expect(texts).toContain('Off https://off.example/');
    expect(texts.find((t) => t.startsWith('Default'))).toMatch(/^Default https:\/\/go\.example\.com\/s\//);
    expect((await links()).map((l) => l.url).sort()).toEqual(['https://default.example/', 'https://on.example/']);
  });

  describe('length checks on the text as it will be sent', () => {
    // 200 letters and a 158-character link: 359 graphemes as written, 237 with the 36-character short URL.
    const url = `https://shop.example/${'spring-sale-'.repeat(10)}landing-page-2027`;
    const text = `${'a'.repeat(200)} ${url}`;
    const compose = (shortenLinks: boolean | null, action = 'publish_now') =>
      owner.client.post(`/api/orgs/${owner.orgId}/posts`, { text, channelAccountIds: ['bsky-1'], action, shortenLinks });

    it('tells the web where short URLs start', async () => {
      const answer = await owner.client.get(`/api/orgs/${owner.orgId}/analytics/settings`);
      expect(answer.body).toEqual({ settings: { shortenLinks: false, utmEnabled: false, timeZone: 'UTC' }, shortLinkPrefix: `${BASE}/s/` });
    });

    it('accepts a Bluesky post too long as written when shortening is on, and refuses it with a 422 when off', async () => {
      expect(countGraphemes(text)).toBe(359);
      const off = await compose(false);
      expect(off.status).toBe(422);
      expect(off.body.error).toMatchObject({
        code: 'text_does_not_fit',
        details: [{ channelAccountId: 'bsky-1', problem: 'too_long', length: 359, limit: 300 }],
      });
      const on = await compose(true);
      expect(on.status).toBe(201);
      await publish();
      const [sent] = [...network.posts.values()];
      expect(sent!.text).toMatch(new RegExp(`^a{200} ${BASE.replace(/\./g, '\\.')}/s/[A-Za-z0-9_-]{11}$`));
      expect(blueskyRules.measureText(sent!.text)).toMatchObject({ length: 237, fits: true });
    });

    it('measures a post that leaves the choice to the org with the org default', async () => {
      expect((await compose(null)).status).toBe(422);
      await owner.client.patch(`/api/orgs/${owner.orgId}/analytics/settings`, { shortenLinks: true });
      expect((await compose(null)).status).toBe(201);
    });

    it('checks a draft’s stored choice when it is scheduled or edited', async () => {
      const scheduleAt = { action: 'schedule', scheduledAt: { local: '2027-04-01T09:00', timeZone: 'UTC' } };
      const shortened = await compose(true, 'draft');
      expect((await owner.client.post(`/api/orgs/${owner.orgId}/posts/${shortened.body.post.id}/schedule`, scheduleAt)).status).toBe(200);
      const written = await compose(false, 'draft');
      const refused = await owner.client.post(`/api/orgs/${owner.orgId}/posts/${written.body.post.id}/schedule`, scheduleAt);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('text_does_not_fit');
      // A scheduled post edited to send its links as written no longer fits.
      const edited = await owner.client.patch(`/api/orgs/${owner.orgId}/posts/${shortened.body.post.id}`, { shortenLinks: false });
      expect(edited.status).toBe(422);
    });
  });
});
