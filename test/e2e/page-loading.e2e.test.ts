import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * How the app loads (issue 18): the board's data is asked for once, while the app starts, and
 * every other page's code is downloaded when it is first opened. A page whose code cannot be
 * downloaded says so under the header and navigation and offers a reload, which mends it. Needs
 * `npm run build` and a Chromium.
 */

const FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Roastery blog',
  items: Array.from({ length: 8 }, (_, i) => ({
    id: `entry-${i}`,
    title: `Roast note ${i}`,
    content_text: `Tasting notes ${i}`,
    date_published: new Date(Date.UTC(2026, 11, 1) + i * 60_000).toISOString(),
  })),
});

let app: E2eSession;
let feeds: LocalServer;

beforeAll(async () => {
  feeds = await startLocalServer((req, res) => void res.writeHead(200, { 'content-type': 'application/feed+json' }).end(FEED));
  app = await startE2eSession({ name: 'page-loading', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' } });
});

afterAll(async () => {
  await app?.close();
  await feeds?.close();
});

/** The API paths a page asked for (the live event stream and the image proxy left out), org ids and column ids kept. */
const apiCalls = (requests: Request[]) =>
  requests
    .map((request) => new URL(request.url()))
    .filter((url) => url.pathname.startsWith('/api/') && !url.pathname.endsWith('/stream-events') && !url.pathname.endsWith('/image-proxy'))
    .map((url) => url.pathname);

describe('loading the app', () => {
  it(
    'asks for the board once while starting, builds card menus on use, downloads other pages on first use, and recovers one that failed to download',
    { timeout: 240_000 },
    async () => {
      const { page } = await app.newPage('owner', {
        // React reports the failed download it caught; the page shows it (asserted below).
        expectedConsoleError: (text) => /dynamically imported module|AnalyticsPage/.test(text),
      });
      await setUpOwner(page, OWNER);
      await page.getByTestId('board-create-first').click();
      await page.getByTestId('board-name').fill('Blogs');
      await page.getByTestId('board-save').click();
      await page.getByTestId('board-tab').filter({ hasText: 'Blogs' }).waitFor();
      for (const feed of ['one', 'two']) {
        await page.getByTestId('add-column').click();
        await page.getByTestId('add-column-source').click();
        await page.getByRole('option', { name: 'A blog or news site (feed address)' }).click();
        await page.getByTestId('add-column-feed-url').fill(`${feeds.url}/${feed}.json`);
        await page.getByTestId('add-column-submit').click();
        await page.getByTestId('add-column-submit').waitFor({ state: 'detached' });
      }
      const columns = page.locator('[data-testid="stream-column"][data-kind="feed"]');
      for (const n of [0, 1]) await columns.nth(n).getByTestId('item-title').filter({ hasText: 'Roast note 7' }).waitFor({ timeout: 120_000 });
      const columnIds = await columns.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-column-id')!));
      expect(columnIds).toHaveLength(2);

      // A fresh load of the board: the session, the boards, the accounts, the members and each
      // column's first page are each asked for exactly once (the start-up prefetch and the page share them).
      const requests: Request[] = [];
      page.on('request', (request) => requests.push(request));
      await page.reload();
      for (const n of [0, 1]) await columns.nth(n).getByTestId('item-title').filter({ hasText: 'Roast note 7' }).waitFor();
      await page.waitForLoadState('networkidle');
      const calls = apiCalls(requests);
      const times = (suffix: string) => calls.filter((path) => path.endsWith(suffix)).length;
      expect(times('/api/session')).toBe(1);
      expect(times('/boards')).toBe(1);
      expect(times('/channels')).toBe(1);
      expect(times('/members')).toBe(1);
      for (const id of columnIds) expect(times(`/columns/${id}/items`)).toBe(1);
      // The session is asked for by the HTML itself (a preload), before any script has run.
      const session = requests.find((request) => new URL(request.url()).pathname === '/api/session')!;
      const scripts = requests.filter((request) => request.resourceType() === 'script').map((request) => new URL(request.url()).pathname);
      expect(requests.indexOf(session)).toBeLessThan(requests.findIndex((request) => request.resourceType() === 'script'));
      // The analytics page (and the charting library it alone uses) is not part of the board's download.
      expect(scripts.some((path) => /AnalyticsPage/.test(path))).toBe(false);

      // A card's "⋯" menu is built when first opened (MenuOnDemand), from the keyboard too: Enter
      // opens it with focus inside, Escape closes it and gives focus back to its button.
      const more = columns.first().getByTestId('item-more').first();
      expect(await page.getByRole('menu').count()).toBe(0);
      await more.focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('item-toggle-read').waitFor();
      // Mantine moves focus into the menu after it opened, not in the same frame.
      await expect.poll(() => page.evaluate(() => Boolean(document.activeElement?.closest('[role="menu"]')))).toBe(true);
      await page.keyboard.press('Escape');
      await page.getByTestId('item-toggle-read').waitFor({ state: 'detached' });
      await expect.poll(() => more.evaluate((button) => button === document.activeElement)).toBe(true);
      // And from the mouse, as before: a choice in it takes effect.
      const card = columns.first().getByTestId('stream-item').first();
      const wasRead = await card.getAttribute('data-read');
      await more.click();
      await page.getByTestId('item-toggle-read').click();
      await expect.poll(() => card.getAttribute('data-read')).toBe(wasRead === 'true' ? 'false' : 'true');

      // Its code cannot be downloaded: the page says so in place; header and navigation stay.
      requests.length = 0;
      await page.route('**/assets/AnalyticsPage-*.js', (route) => route.abort('connectionreset'));
      await page.getByTestId('nav-analytics').click();
      const failed = page.getByTestId('page-error');
      await failed.waitFor();
      expect(await failed.getAttribute('data-kind')).toBe('download');
      expect(await failed.innerText()).toContain('This page could not be loaded');
      expect(await page.getByTestId('nav-streams').isVisible()).toBe(true);
      expect(requests.some((request) => /\/assets\/AnalyticsPage-/.test(request.url()))).toBe(true);
      await screenshot(page, 'l01-page-download-failed');

      // The same notice in Japanese on a phone: translated, and nothing wider than the screen.
      const wide = page.viewportSize()!;
      await page.getByTestId('language-picker').selectOption('ja');
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => failed.innerText()).toContain('このページを読み込めませんでした');
      expect(await failed.getByTestId('page-error-reload').innerText()).toBe('再読み込み');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'l02-page-download-failed-ja-390');
      await page.setViewportSize(wide);
      await page.getByTestId('language-picker').selectOption('en');
      await expect.poll(() => failed.innerText()).toContain('This page could not be loaded');

      // Another page works, and the failure does not follow the reader there.
      await page.getByTestId('nav-streams').click();
      await columns.first().getByTestId('item-title').first().waitFor();
      expect(await failed.count()).toBe(0);

      // Reload from the notice, with the connection back: the page comes up.
      await page.getByTestId('nav-analytics').click();
      await failed.waitFor();
      await page.unroute('**/assets/AnalyticsPage-*.js');
      await page.getByTestId('page-error-reload').click();
      await page.getByTestId('page-analytics').waitFor();
      expect(await failed.count()).toBe(0);

      // Someone signed out follows a link to the board: the start-up prefetch meets 401s, and the
      // visitor is led to sign in without an error notice about them.
      const boardPath = new URL(page.url()).pathname.replace(/analytics$/, 'streams');
      const { page: visitor } = await app.newPage('visitor');
      const answered: number[] = [];
      visitor.on('response', (response) => new URL(response.url()).pathname.startsWith('/api/orgs/') && answered.push(response.status()));
      await visitor.goto(boardPath);
      await visitor.waitForURL('**/login?next=**');
      await visitor.waitForLoadState('networkidle');
      expect(answered.length).toBeGreaterThan(0);
      expect(answered.every((status) => status === 401)).toBe(true);
      expect(await visitor.locator('.mantine-Notification-root').count()).toBe(0);
      expect(app.problems).toEqual([]);
    },
  );
});
