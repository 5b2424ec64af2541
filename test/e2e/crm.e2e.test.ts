import http from 'node:http';
import type net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { screenshot } from './support/screenshots.js';

/**
 * Contacts in a real Chromium against the built server and its ingest worker: two blogs served on
 * loopback (each on its own port, so each is its own author: a feed author's key is the feed's
 * host). The owner adds one blog's author to contacts from a stream item, opens the contact, sees
 * that blog's entries on its timeline, notes and tags it, finds it in the contacts list, and a
 * saved search over both blogs keeps only the contact's entries once From contacts only is on.
 * Needs `npm run build` and a Chromium.
 */

const OWNER = { name: 'Mara Lind', email: 'mara@example.com', password: 'correct horse battery', org: 'Lind Coffee' };

const KISSA = { title: 'Kissa Notes', entries: ['Kissa roastery visit', 'Kissa roastery beans'] };
const WEEKLY = { title: 'Beans Weekly', entries: ['Weekly roastery digest'] };

function rss(feed: { title: string; entries: string[] }, origin: string): Buffer {
  const items = feed.entries
    .map(
      (title, index) =>
        `<item><title>${title}</title><link>${origin}/entries/${index}</link><guid>${origin}/entries/${index}</guid>` +
        `<pubDate>${new Date(Date.now() - index * 60_000).toUTCString()}</pubDate><description>${title}, from ${feed.title}.</description></item>`,
    )
    .join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${feed.title}</title><link>${origin}/</link>${items}</channel></rss>`,
    'utf8',
  );
}

/** One blog on its own loopback port. */
async function serveFeed(feed: { title: string; entries: string[] }): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((_request, response) => {
    const body = rss(feed, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/feed.rss` };
}

let app: E2eSession;
let kissa: { server: http.Server; url: string };
let weekly: { server: http.Server; url: string };

beforeAll(async () => {
  kissa = await serveFeed(KISSA);
  weekly = await serveFeed(WEEKLY);
  // The blogs live on loopback, which Chorus refuses unless the operator allows it.
  app = await startE2eSession({ name: 'crm', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' } });
});

afterAll(async () => {
  await app?.close();
  for (const feed of [kissa, weekly]) await new Promise((resolve) => feed?.server.close(resolve));
});

const shot = (page: Page, name: string) => screenshot(page, name, { fullPage: false, fromTop: false });

const feedColumn = (page: Page, title: string) =>
  page.locator('[data-testid="stream-column"][data-kind="feed"]').filter({ has: page.getByTestId('column-title').filter({ hasText: title }) });

async function addFeedColumn(page: Page, url: string, title: string): Promise<void> {
  await page.getByTestId('add-column').click();
  await page.getByTestId('add-column-source').click();
  await page.getByRole('option', { name: 'A blog or news site (feed address)' }).click();
  await page.getByTestId('add-column-feed-url').fill(url);
  await page.getByTestId('add-column-title').fill(title);
  await page.getByTestId('add-column-submit').click();
  await feedColumn(page, title).waitFor();
}

describe('contacts in Chromium', () => {
  it('adds a blog author from a stream item, notes and tags them, finds them, and filters a column to contacts', { timeout: 300_000 }, async () => {
    const { context, page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);

    // A board with a column for each blog.
    await page.getByTestId('board-create-first').click();
    await page.getByTestId('board-name').fill('Suppliers');
    await page.getByTestId('board-save').click();
    await page.getByTestId('board-tab').filter({ hasText: 'Suppliers' }).waitFor();
    await addFeedColumn(page, kissa.url, KISSA.title);
    await addFeedColumn(page, weekly.url, WEEKLY.title);
    const kissaColumn = feedColumn(page, KISSA.title);
    await kissaColumn.getByTestId('item-title').filter({ hasText: KISSA.entries[0] }).waitFor({ timeout: 60_000 });
    await feedColumn(page, WEEKLY.title).getByTestId('item-title').filter({ hasText: WEEKLY.entries[0] }).waitFor({ timeout: 60_000 });

    // Add to contacts on a Kissa entry: the notification offers the new contact.
    const entry = kissaColumn.getByTestId('stream-item').filter({ hasText: KISSA.entries[0] });
    await entry.getByTestId('item-add-contact').click();
    const added = page.getByTestId('contact-added');
    await added.waitFor();
    expect(await added.getAttribute('data-created')).toBe('true');
    expect(await added.innerText()).toContain(`Added ${KISSA.title} to contacts`);
    // Every card by Kissa now links to the contact instead of offering to add it; Beans Weekly's still offers.
    await expect.poll(() => kissaColumn.getByTestId('item-contact').count()).toBe(KISSA.entries.length);
    expect(await kissaColumn.getByTestId('item-add-contact').count()).toBe(0);
    expect(await feedColumn(page, WEEKLY.title).getByTestId('item-add-contact').count()).toBe(WEEKLY.entries.length);
    await shot(page, 'crm01-added-from-item');

    await page.getByTestId('contact-added-open').click();
    await page.waitForURL(/\/contacts\/[^/]+$/);
    const contactUrl = page.url();

    // The contact's timeline holds the blog's entries and nothing of the other blog.
    await page.getByTestId('contact-name-heading').filter({ hasText: KISSA.title }).waitFor();
    const timeline = page.getByTestId('contact-timeline');
    for (const title of KISSA.entries) await timeline.getByTestId('item-title').filter({ hasText: title }).waitFor();
    expect(await timeline.getByText(WEEKLY.entries[0]!).count()).toBe(0);
    await page.getByTestId('contact-identity').first().waitFor();

    // A note and a tag.
    await page.getByTestId('note-body').fill('Roasts a light Ethiopian; ask about wholesale prices.');
    await page.getByTestId('add-note').click();
    await page.getByTestId('contact-note-body').filter({ hasText: 'ask about wholesale prices' }).waitFor();
    await page.getByTestId('contact-tags-input').fill('Wholesale');
    await page.getByTestId('contact-tags-input').press('Enter');
    // The server lowercases tags; the saved one comes back as the contact's.
    await expect
      .poll(() =>
        page.evaluate(
          async (url) => (await fetch(url.replace('/orgs/', '/api/orgs/'), { headers: { accept: 'application/json' } }).then((r) => r.json())).contact.tags,
          contactUrl,
        ),
      )
      .toEqual(['wholesale']);
    await shot(page, 'crm02-contact');

    // The contacts list finds it by search, with its tag and note count.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('page-contacts').waitFor();
    await page.getByTestId('contacts-search').fill('kissa');
    const row = page.getByTestId('contact-row').filter({ hasText: KISSA.title });
    await row.waitFor();
    await shot(page, 'crm03-contacts-list');
    // Export CSV downloads what the list shows, with the browser's session.
    await expect.poll(() => page.getByTestId('contacts-export').getAttribute('href')).toContain('q=kissa');
    const href = await page.getByTestId('contacts-export').getAttribute('href');
    const csv = await page.request.get(new URL(href!, page.url()).toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toContain('attachment');
    expect(await csv.text()).toContain(`${KISSA.title},`);
    expect(await row.getByTestId('contact-row-tag').allTextContents()).toEqual(['wholesale']);
    expect(await row.getByTestId('contact-row-notes').innerText()).toBe('Notes: 1');
    await page.getByTestId('contacts-search').fill('nobody by that name');
    await page.getByTestId('contacts-none-found').waitFor();
    // The box follows the address, not only the list: Contacts in the menu clears both, back brings both back, forward clears them again.
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('nobody by that name');
    await page.getByTestId('nav-contacts').click();
    await row.waitFor();
    expect(await page.getByTestId('contacts-search').inputValue()).toBe('');
    await page.goBack();
    await page.getByTestId('contacts-none-found').waitFor();
    expect(await page.getByTestId('contacts-search').inputValue()).toBe('nobody by that name');
    await page.goForward();
    await row.waitFor();
    expect(await page.getByTestId('contacts-search').inputValue()).toBe('');
    expect(new URL(page.url()).searchParams.get('q')).toBeNull();

    // A saved search over both blogs, then From contacts only: only Kissa's entries remain.
    await page.getByTestId('nav-streams').click();
    await page.getByTestId('stream-search').fill('roastery');
    await page.getByTestId('stream-search-submit').click();
    await page.getByTestId('search-results').getByText(WEEKLY.entries[0]!, { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByTestId('search-keep').click();
    const saved = page.locator('[data-testid="stream-column"][data-kind="saved_search"]');
    await saved.getByTestId('item-title').filter({ hasText: WEEKLY.entries[0] }).waitFor();
    await saved.getByTestId('column-filters').click();
    await page.getByTestId('filter-contacts').check();
    await page.getByTestId('filter-save').click();
    await expect.poll(() => saved.getByTestId('column-filters').getAttribute('data-active')).toBe('1');
    await expect.poll(() => saved.getByTestId('item-title').allInnerTexts()).toEqual(KISSA.entries);
    await shot(page, 'crm04-from-contacts-only');

    // A new contact shows up at once in the column filtered to contacts, without a reload.
    await feedColumn(page, WEEKLY.title).getByTestId('stream-item').first().getByTestId('item-add-contact').click();
    await page
      .locator('[data-testid="contact-added"][data-created="true"]')
      .filter({ hasText: `Added ${WEEKLY.title} to contacts` })
      .waitFor();
    await expect.poll(async () => (await saved.getByTestId('item-title').allInnerTexts()).sort()).toEqual([...KISSA.entries, ...WEEKLY.entries].sort());

    // A card's Contact link opens the contact.
    await feedColumn(page, KISSA.title).getByTestId('item-contact').first().click();
    await page.getByTestId('contact-header').filter({ hasText: KISSA.title }).waitFor();

    // The contacts list in Japanese.
    await page.getByTestId('language-picker').selectOption('ja');
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-row').filter({ hasText: WEEKLY.title }).waitFor();
    expect(await page.getByTestId('page-contacts').getByRole('heading', { level: 2 }).innerText()).toBe('連絡先');
    await shot(page, 'crm05-contacts-ja');

    await context.close();
    expect(app.problems).toEqual([]);
  });
});
