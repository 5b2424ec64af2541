import { DateTime } from 'luxon';
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { pullDueMetrics } from '../../src/analytics/metrics-pull.js';
import { createBlueskyConnector } from '../../src/channels/bluesky/connector.js';
import { channelsEnvironment } from '../../src/channels/environment.js';
import { channelDirectory } from '../../src/channels/publishing-directory.js';
import { publishDueTargets } from '../../src/publishing/publisher.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { axeFindings, blocking } from './support/accessibility.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * The analytics page in a real Chromium with real data: a post with a short link is published to
 * a real local Bluesky PDS, liked and reposted by another account, its link clicked twice by a
 * browser and once by a crawler; after a metrics pull the page's charts and tables show it, the
 * heat map lights the hour it went out, the queue editor offers that hour as a suggested slot and
 * adds it in one click, and the Japanese page has no English left. Before that, the composer counts
 * a long link as the short URL it becomes and the server accepts what the counter shows as fitting.
 * The server runs without its worker; this test publishes and pulls metrics on the same store,
 * with the server's key, so the like lands before the one pull that counts it.
 * Needs `npm run build`, a Chromium and PostgreSQL (the Bluesky AppView).
 */

const SECRET = 'analytics-e2e-secret-key-0123456789';
const SHORT_BASE = 'https://go.example.com';
const BROWSER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const CRAWLER_AGENT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';

let app: E2eSession;
let bluesky: BlueskyTestNetwork;
let shop: TestAccount;
let fan: TestAccount;
let store: Store;

beforeAll(async () => {
  bluesky = await startBlueskyNetwork();
  shop = await bluesky.createAccount('beanery');
  fan = await bluesky.createAccount('regular');
  app = await startE2eSession({
    name: 'analytics',
    env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true', CHORUS_SECRET_KEY: SECRET, CHORUS_NO_WORKER: 'true', CHORUS_SHORT_URL_BASE: SHORT_BASE },
  });
  store = openStore(`sqlite:${app.server.dataDir}/chorus.db`);
}, 120_000);

afterAll(async () => {
  await store?.close();
  await app?.close();
  await bluesky?.close();
});

/** The API as the signed-in page would call it (session cookie + CSRF header). */
async function api(request: APIRequestContext) {
  const session = await (await request.get('/api/session')).json();
  const headers = { 'x-csrf-token': session.csrfToken as string };
  const orgId = session.orgs[0].id as string;
  const call = async (method: 'POST' | 'PATCH', url: string, data: unknown) => {
    const response = await request.fetch(`/api/orgs/${orgId}${url}`, { method, data, headers });
    expect(response.status(), `${method} ${url}: ${await response.text()}`).toBeLessThan(300);
    return response.json();
  };
  return { orgId, post: (url: string, data: unknown) => call('POST', url, data), patch: (url: string, data: unknown) => call('PATCH', url, data) };
}

/** Every English sentence of the analytics page (without placeholders), to be sure none is left on the Japanese page. */
function englishAnalyticsStrings(): string[] {
  const leaves = (value: unknown): string[] => (typeof value === 'string' ? [value] : Object.values(value as object).flatMap(leaves));
  return leaves(en.analytics).filter((s) => !s.includes('{{') && s.length > 3 && !/^(AFINN-165)$/.test(s));
}

const shot = (page: Page, name: string) => screenshot(page, name);

describe('analytics page', () => {
  it('shows the published post’s likes, reposts and clicks in charts and tables, in English and Japanese', async () => {
    const { context, page } = await app.newPage('analytics');
    await page.setViewportSize({ width: 1440, height: 900 });
    await setUpOwner(page, OWNER);
    const { orgId, post, patch } = await api(context.request);

    const channel = (
      await post('/channels', { network: 'bluesky', credentials: { service: bluesky.pdsUrl, identifier: shop.handle, appPassword: shop.password } })
    ).channel;
    // Nothing published and measured yet: the queue editor says so instead of suggesting nothing.
    await page.goto(`/orgs/${orgId}/publish`);
    expect(await page.getByTestId('queue-editor').getByTestId('queue-suggestions-note').innerText()).toBe(en.queue.notEnoughHistory);

    // A long link makes the text too long for Bluesky as written; shortened (the short URL is
    // SHORT_BASE/s/ and an 11-character code) it fits, in the counter and on the server alike.
    const longText = `${'a'.repeat(200)} https://shop.example.com/${'autumn-blend-'.repeat(10)}landing`;
    await page.locator('[data-testid="account-chip"][data-network="bluesky"]').click();
    await page.getByTestId('composer-text').fill(longText);
    const counter = page.getByTestId('counter-bluesky');
    expect(await counter.getAttribute('data-fits')).toBe('false');
    expect(await page.getByTestId('action-schedule').isDisabled()).toBe(true);
    await page.getByTestId('composer-shorten-links').click();
    await expect.poll(() => counter.getAttribute('data-length')).toBe(String(201 + `${SHORT_BASE}/s/`.length + 11));
    expect(await counter.getAttribute('data-fits')).toBe('true');
    const scheduled = page.waitForResponse((r) => /\/posts$/.test(r.url()) && r.request().method() === 'POST');
    await page.getByTestId('action-schedule').click();
    expect((await scheduled).status()).toBe(201);
    const draft = (
      await post('/posts', {
        text: 'Autumn blend is here https://shop.example.com/autumn',
        channelAccountIds: [channel.id],
        action: 'draft',
        campaign: 'Autumn',
      })
    ).post;
    const shortened = await post('/links/shorten-text', { text: draft.text, postId: draft.id, network: 'bluesky' });
    await patch(`/posts/${draft.id}`, { text: shortened.text });
    await post(`/posts/${draft.id}/schedule`, { action: 'publish_now' });
    const clock = () => new Date();
    const directory = channelDirectory(store.db, clock, channelsEnvironment(SECRET, { allowPrivateNetwork: true }));
    expect(await publishDueTargets({ store, clock, directory, workerId: 'e2e-publisher' })).toBe(1);
    const target = await store.db
      .selectFrom('post_targets')
      .select(['remote_id', 'remote_cid', 'published_at'])
      .where('post_id', '=', draft.id)
      .executeTakeFirstOrThrow();

    const fanConnector = createBlueskyConnector(
      { service: bluesky.pdsUrl, identifier: fan.handle, appPassword: fan.password },
      { fetch: globalThis.fetch, now: () => new Date(), saveCredentials: async () => {} },
    );
    expect((await fanConnector.like({ remoteId: target.remote_id!, cid: target.remote_cid })).ok).toBe(true);
    expect((await fanConnector.repost({ remoteId: target.remote_id!, cid: target.remote_cid })).ok).toBe(true);
    await bluesky.processAll();

    const code = shortened.links[0].code as string;
    for (const agent of [BROWSER_AGENT, BROWSER_AGENT, CRAWLER_AGENT]) {
      const visit = await fetch(`${app.baseUrl}/s/${code}`, { redirect: 'manual', headers: { 'user-agent': agent } });
      expect(visit.status).toBe(302);
    }
    expect(await pullDueMetrics({ store, clock, directory, workerId: 'e2e-metrics' })).toBe(1);
    // The server writes clicks at most a second after they arrive.
    await expect
      .poll(
        async () =>
          Number(
            (
              await store.db
                .selectFrom('link_clicks')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        { timeout: 5000 },
      )
      .toBe(3);

    await page.goto(`/orgs/${orgId}/analytics`);
    const analytics = page.getByTestId('page-analytics');
    await analytics.getByTestId('kpi-humanClicks-value').filter({ hasText: '2' }).waitFor();
    expect(await analytics.getByTestId('kpi-botClicks-value').innerText()).toBe('1');
    expect(await analytics.getByTestId('kpi-engagement-value').innerText()).toBe('2');
    expect(await analytics.getByTestId('kpi-postsPublished-value').innerText()).toBe('1');
    // Real charts: ECharts drew SVG with the data.
    for (const chart of ['chart-daily-canvas', 'chart-channels-canvas', 'chart-sentiment-canvas', 'chart-best-times-canvas']) {
      await page.getByTestId(chart).locator('svg').waitFor();
      expect(await page.getByTestId(chart).locator('svg path').count(), chart).toBeGreaterThan(5);
    }
    const topPost = page.getByTestId('top-posts-table').locator('tbody tr').first();
    expect(await topPost.locator('td').allInnerTexts()).toEqual([
      expect.stringContaining('Autumn blend is here'),
      expect.any(String),
      '1',
      '1',
      '0',
      '—',
      '2',
      '1',
    ]);
    expect(await page.getByTestId('links-table').locator('tbody tr').first().locator('td').allInnerTexts()).toEqual([
      expect.stringContaining(`/s/${code}`),
      expect.stringContaining('shop.example.com/autumn'),
      'Autumn',
      '2',
      '1',
    ]);

    // The heat map's table: the liked post's weekday and hour (the org reports in UTC) hold its engagement.
    const at = DateTime.fromISO(target.published_at!, { zone: 'utc' });
    const heat = page.getByTestId('chart-best-times-table');
    await heat.locator('summary').click();
    const row = heat.locator('tbody tr').nth(at.weekday - 1);
    expect(
      await row
        .locator('td')
        .nth(at.hour + 1)
        .innerText(),
    ).toBe('2.0');
    expect(await page.getByTestId('best-times-suggested').innerText()).toContain(`${at.hour}:00`);
    await heat.locator('summary').click();
    await shot(page, 'analytics01-1440-en');

    // The CSV link answers the same numbers.
    const csvUrl = await page.getByTestId('top-posts-csv').getAttribute('href');
    const csv = await (await context.request.get(csvUrl!)).text();
    expect(csv).toContain(',1,1,0,0,,2,2,1,');

    // The queue editor offers that hour (org and browser both in UTC) as a suggested slot, with why, and adds it in one click.
    await page.goto(`/orgs/${orgId}/publish`);
    const queue = page.getByTestId('queue-editor');
    const slot = `${at.weekday} ${at.toFormat('HH')}:00`;
    const suggestion = queue.locator(`[data-testid="queue-suggestion"][data-slot="${slot}"]`);
    expect(await suggestion.innerText()).toContain('avg 2 engagements at this hour, from 1 post');
    expect(await queue.getByTestId('queue-slot').count()).toBe(0);
    await shot(page, 'queue01-suggested-1440-en');
    expect(blocking(await axeFindings(page))).toEqual([]);
    await suggestion.getByTestId('queue-add-suggested').click();
    await queue
      .getByTestId('queue-slot')
      .filter({ hasText: `${at.toFormat('HH')}:00` })
      .waitFor();
    expect(await queue.getByTestId('queue-suggestions-note').innerText()).toBe(en.queue.allSuggestedQueued);
    const saved = await (await context.request.get(`/api/orgs/${orgId}/queues/${channel.id}`)).json();
    expect(saved.queue).toEqual({ channelAccountId: channel.id, timeZone: 'UTC', slots: [{ weekday: at.weekday, time: `${at.toFormat('HH')}:00` }] });
    await shot(page, 'queue02-added-1440-en');
    await page.goto(`/orgs/${orgId}/analytics`);
    await analytics.getByTestId('kpi-humanClicks-value').filter({ hasText: '2' }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'analytics02-390-en');

    // Japanese: no English sentence of the page is left.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('language-picker').selectOption('ja');
    await analytics.getByRole('heading', { level: 2, name: '分析' }).waitFor();
    const text = await analytics.innerText();
    const left = englishAnalyticsStrings().filter((english) => text.includes(english));
    expect(left).toEqual([]);
    expect(await page.getByTestId('chart-daily-canvas').innerHTML()).toContain('エンゲージメント');
    await shot(page, 'analytics03-1440-ja');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'analytics04-390-ja');

    await context.close();
    expect(app.problems).toEqual([]);
  }, 120_000);
});
