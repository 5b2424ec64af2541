import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../channels/support/local-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';

/**
 * A column builds its first 4 cards (a screenful) and the rest, 10 at a time, as the reader gets
 * near them, by scrolling or
 * by keyboard focus (issue 18: a board of 10 columns built every card of every first page before any
 * column showed one). A feed of 35 entries in a real Chromium. Needs `npm run build` and a Chromium.
 */

const ENTRIES = 35;
const FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Long blog',
  items: Array.from({ length: ENTRIES }, (_, i) => ({
    id: `entry-${i}`,
    title: `Entry ${i}`,
    content_text: `Text of entry ${i}`,
    date_published: new Date(Date.UTC(2026, 11, 1) + i * 60_000).toISOString(),
  })),
});

let app: E2eSession;
let feeds: LocalServer;

beforeAll(async () => {
  feeds = await startLocalServer((req, res) => void res.writeHead(200, { 'content-type': 'application/feed+json' }).end(FEED));
  app = await startE2eSession({ name: 'column-building', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' } });
});

afterAll(async () => {
  await app?.close();
  await feeds?.close();
});

const built = (column: Locator) => column.locator('[data-testid="stream-item"]').count();

describe('a column builds what the reader is about to see', () => {
  it('builds a screenful first, more on scrolling and on tabbing to the last ones, then the end of the feed', { timeout: 300_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('board-create-first').click();
    await page.getByTestId('board-name').fill('Blogs');
    await page.getByTestId('board-save').click();
    await page.getByTestId('board-tab').filter({ hasText: 'Blogs' }).waitFor();
    await page.getByTestId('add-column').click();
    await page.getByTestId('add-column-source').click();
    await page.getByRole('option', { name: 'A blog or news site (feed address)' }).click();
    await page.getByTestId('add-column-feed-url').fill(`${feeds.url}/long.json`);
    await page.getByTestId('add-column-submit').click();
    await page.getByTestId('add-column-submit').waitFor({ state: 'detached' });

    // A fresh load once the feed is stored, so the column starts from its whole first page.
    const column = page.locator('[data-testid="stream-column"][data-kind="feed"]');
    await column
      .getByTestId('item-title')
      .filter({ hasText: `Entry ${ENTRIES - 1}` })
      .waitFor({ timeout: 120_000 });
    await page.reload();
    await column
      .getByTestId('item-title')
      .filter({ hasText: `Entry ${ENTRIES - 1}` })
      .waitFor();
    // 4, and 10 more at a time while the last built one is less than 800 px below the column's bottom edge.
    const first = await built(column);
    expect((first - 4) % 10).toBe(0);
    expect(first).toBeLessThan(ENTRIES);
    expect(await column.getByTestId('column-more').count()).toBe(1);
    // Not yet the end of the column: the older-page sentinel waits until every loaded card is built.
    expect(await column.getByTestId('column-older').count()).toBe(0);

    // Keyboard: focus on one of the last two built cards builds the next ones, so Tab goes on inside the column.
    await column
      .locator('[data-testid="stream-item"]')
      .nth(first - 1)
      .focus();
    await expect.poll(() => built(column)).toBeGreaterThanOrEqual(Math.min(first + 10, ENTRIES));
    expect(await column.locator('[data-testid="stream-item"]').nth(first).getAttribute('tabindex')).toBe('0');

    // Scrolling to the bottom builds the rest, and then the column says it has reached the end.
    await expect
      .poll(
        async () => {
          await column.getByTestId('column-items').evaluate((box) => box.scrollTo({ top: box.scrollHeight }));
          return built(column);
        },
        { timeout: 60_000 },
      )
      .toBe(ENTRIES);
    await column.getByTestId('column-older').filter({ hasText: 'That is everything stored' }).waitFor();
    expect(await column.getByTestId('column-more').count()).toBe(0);
    expect(app.problems).toEqual([]);
  });
});
