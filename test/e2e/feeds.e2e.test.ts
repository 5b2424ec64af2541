import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * Feeds from the wild in a real Chromium: two feeds of one host, one of them Jornal de Notícias in
 * ISO-8859-1 with its XML declaration removed (test/fixtures/feeds/README.md) plus an entry whose
 * date is "0". The column shows the Portuguese as Portuguese and that entry's time as approximate;
 * Settings → Channels names each feed by its title, its host on the line below, and says which
 * charset Chorus detected and why. Needs `npm run build` and a Chromium.
 */

const LATIN1 = fs
  .readFileSync('test/fixtures/feeds/encoding.rss')
  .toString('latin1')
  .replace(/^<\?xml[^>]*\?>/, '');
const UNDATED =
  '<item><title>Sem data</title><guid isPermaLink="false">sem-data</guid><pubDate>0</pubDate><description>Uma entrada sem data legível.</description></item>';
const SECOND =
  '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Café do Bairro</title><item><title>Abrimos!</title><guid isPermaLink="false">1</guid><pubDate>Seg, 24 Set 2018 10:00:00 -0300</pubDate></item></channel></rss>';

let app: E2eSession;
let feeds: LocalServer;

beforeAll(async () => {
  feeds = await startLocalServer((req, res) => {
    if (req.url === '/jn.rss')
      return void res.writeHead(200, { 'content-type': 'text/xml' }).end(Buffer.from(LATIN1.replace('</channel>', `${UNDATED}</channel>`), 'latin1'));
    if (req.url === '/cafe.rss') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(SECOND);
    res.writeHead(404).end();
  });
  app = await startE2eSession({ name: 'feeds', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' } });
});

afterAll(async () => {
  await app?.close();
  await feeds?.close();
});

async function addFeedColumn(page: Page, url: string): Promise<void> {
  await page.getByTestId('add-column').click();
  await page.getByTestId('add-column-source').click();
  await page.getByRole('option', { name: 'A blog or news site (feed address)' }).click();
  await page.getByTestId('add-column-feed-url').fill(url);
  await page.getByTestId('add-column-submit').click();
  await page.getByTestId('add-column-submit').waitFor({ state: 'detached' });
}

describe('feeds from the wild in Chromium', () => {
  it('shows detected charsets, approximate times and feeds of one host by their titles', { timeout: 300_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('board-create-first').click();
    await page.getByTestId('board-name').fill('Blogs');
    await page.getByTestId('board-save').click();
    await page.getByTestId('board-tab').filter({ hasText: 'Blogs' }).waitFor();
    await addFeedColumn(page, `${feeds.url}/jn.rss`);
    await addFeedColumn(page, `${feeds.url}/cafe.rss`);

    const jn = page
      .locator('[data-testid="stream-column"][data-kind="feed"]')
      .filter({ has: page.getByTestId('column-title').filter({ hasText: 'Jornal de Notícias' }) });
    const undated = jn.locator('[data-testid="stream-item"]').filter({ hasText: 'Sem data' });
    await undated.waitFor({ timeout: 120_000 });
    expect(await undated.getByTestId('item-time-approximate').innerText()).toMatch(/^· about /);
    expect(await jn.locator('[data-testid="stream-item"]').filter({ hasText: 'ações' }).count()).toBeGreaterThan(0);
    expect(await jn.innerText()).not.toContain('\uFFFD');
    await screenshot(page, 'feeds-approximate-time', { fullPage: false, fromTop: false });

    // The column picker: each feed by its title, the shared host on the line below.
    await page.getByTestId('add-column').click();
    await page.getByTestId('add-column-source').click();
    const host = new URL(feeds.url).host;
    for (const title of ['Jornal de Notícias - Últimas Notícias', 'Café do Bairro']) {
      const lines = (await page.getByRole('option', { name: title }).innerText()).split('\n').filter((line) => line.trim() !== '');
      expect(lines).toEqual([title, `RSS, Atom or JSON Feed · ${host}`]);
    }
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    await page.goto(`${new URL(page.url()).pathname.replace(/\/streams.*$/, '')}/settings/channels`);
    const row = page.locator('[data-testid="channel-row"][data-network="feed"]').filter({ hasText: 'Jornal de Notícias' });
    await row.getByTestId('channel-note').waitFor();
    expect(await row.getByTestId('channel-note').innerText()).toBe(
      'Read as windows-1252: the feed declares no charset and its bytes are not UTF-8, so Chorus detected it.',
    );
    expect(
      await page.locator('[data-testid="channel-row"][data-network="feed"]').filter({ hasText: 'Café do Bairro' }).getByTestId('channel-note').count(),
    ).toBe(0);
    await screenshot(page, 'feeds-channel-notes');
    expect(app.problems).toEqual([]);
  });
});
