import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlueskyNetwork, type BlueskyTestNetwork, type TestAccount } from '../support/bluesky-network.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { screenshot } from './support/screenshots.js';

/**
 * The Streams page in a real Chromium against the built server and its ingest worker: a board
 * with a Mentions column of a Bluesky account on a real local network and a column for a
 * Shift_JIS Japanese blog served on loopback. Another account mentions the first; the mention
 * shows up in the open page without a reload, marked new. The Japanese titles render as
 * Japanese, and scripts inside the feed's HTML never run. The blog's pictures load through the
 * image proxy (the page's CSP allows no other host), an inline one shown once; the composer's
 * preview of a picked picture shows too.
 * Needs `npm run build`, a Chromium and PostgreSQL (the AppView).
 */

const FEED_FIXTURE = process.env.CHORUS_FIXTURES
  ? path.join(process.env.CHORUS_FIXTURES, 'feeds/ja-blog-shift_jis.rss')
  : '/work/shared/fixtures/feeds/ja-blog-shift_jis.rss';

const OWNER = { name: '山田 蓮', email: 'ren@example.com', password: 'correct horse battery', org: 'Yamada Roastery' };
const FEED_TITLE = 'HootSuiteはAWSの障害から如何に回復したか';
const SECOND_FEED_TITLE = 'クラウドコンピューティングとパワー・トゥ・ザ・ピープル';
// Scripts that would leave traces if the page ever ran feed HTML: a global, the title, a dialog.
const HOSTILE_ITEM = Buffer.from(
  '<item><title>Hostile entry</title><link>http://cloud-diary.example.jp/hostile</link><guid>cloud-diary-hostile</guid>' +
    '<pubDate>Wed, 27 Apr 2011 09:00:00 +0900</pubDate>' +
    '<content:encoded><![CDATA[<p>Harmless words.</p><script>window.__pwned = 1; document.title = "pwned";</script>' +
    '<img src="x" onerror="window.__pwned = 2"><a href="javascript:window.__pwned=3">click</a>]]></content:encoded></item>',
  'ascii',
);

// A real 1×1 PNG: the image proxy checks the bytes, not just the declared type.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
// An entry with a picture inside its text and one as an enclosure, both on the feed's own host.
const photoItem = (origin: string) =>
  Buffer.from(
    `<item><title>Photo entry</title><link>${origin}/blog/photo</link><guid>cloud-diary-photo</guid><pubDate>${new Date().toUTCString()}</pubDate>` +
      `<enclosure url="${origin}/blog/enclosure.png" type="image/png" length="${PNG.length}"/>` +
      `<content:encoded><![CDATA[<p>Roasting day.</p><p><img src="${origin}/blog/inline.png" alt="the roaster"></p>]]></content:encoded></item>`,
    'ascii',
  );

let app: E2eSession;
let bluesky: BlueskyTestNetwork;
let amane: TestAccount;
let bunta: TestAccount;
let feedServer: http.Server;
let feedUrl: string;

/** The fixture's own bytes (Shift_JIS, declared only in the XML prolog) plus a hostile entry and one with pictures. */
function feedBytes(origin: string): Buffer {
  const original = fs.readFileSync(FEED_FIXTURE);
  const end = original.lastIndexOf(Buffer.from('</channel>', 'ascii'));
  expect(end).toBeGreaterThan(0);
  return Buffer.concat([original.subarray(0, end), HOSTILE_ITEM, photoItem(origin), original.subarray(end)]);
}

/** Whether every picture `images` finds came through the image proxy and actually loaded. */
const allLoadedThroughProxy = (images: Locator, orgId: string) =>
  images.evaluateAll(
    (list, prefix) =>
      list.length > 0 &&
      list.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0 && img.getAttribute('src')!.startsWith(prefix)),
    `/api/orgs/${orgId}/image-proxy?`,
  );

const shot = (page: Page, name: string) => screenshot(page, name, { fullPage: false, fromTop: false });

beforeAll(async () => {
  bluesky = await startBlueskyNetwork();
  amane = await bluesky.createAccount('amane');
  bunta = await bluesky.createAccount('bunta');

  let body: Buffer | null = null;
  feedServer = http.createServer((request, response) => {
    if (request.url?.endsWith('.png')) {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
      return void response.end(PNG);
    }
    body ??= feedBytes(`http://127.0.0.1:${(feedServer.address() as net.AddressInfo).port}`);
    // No charset in the header: the parser must honour the XML declaration's Shift_JIS.
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feedServer.address() as net.AddressInfo).port}/blog/feed.rss`;

  // The local PDS and the fixture feed live on loopback, which Chorus refuses unless the operator allows it.
  app = await startE2eSession({
    name: 'streams',
    env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' },
    browserProfile: { timezoneId: 'Asia/Tokyo', viewport: { width: 1440, height: 900 } },
  });
});

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => feedServer?.close(resolve));
  await bluesky?.close();
});

/** Account B writes a post whose facet mentions account A, as the Bluesky app would. */
async function mention(from: TestAccount, to: TestAccount, words: string): Promise<{ uri: string; text: string }> {
  const { AtpAgent, RichText } = await import('@atproto/api');
  const agent = new AtpAgent({ service: bluesky.pdsUrl });
  await agent.login({ identifier: from.handle, password: from.password });
  const text = `@${to.handle} ${words}`;
  const rich = new RichText({ text });
  await rich.detectFacets(agent);
  expect(rich.facets?.some((facet) => facet.features.some((f) => f.$type === 'app.bsky.richtext.facet#mention'))).toBe(true);
  const { uri } = await agent.post({ text: rich.text, facets: rich.facets, createdAt: new Date().toISOString() });
  await bluesky.processAll();
  return { uri, text };
}

const column = (page: Page, kind: string) => page.locator(`[data-testid="stream-column"][data-kind="${kind}"]`);

describe('streams in Chromium', () => {
  it('shows a mention live, a Shift_JIS Japanese blog as Japanese, and never runs feed scripts', { timeout: 300_000 }, async () => {
    // No console error is expected: every stream image goes through the image proxy, so a CSP
    // refusal (an image left pointing at its own host, a blocked composer preview) fails the test.
    const { context, page } = await app.newPage('owner');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    // First run, then account A connected in Settings → Channels.
    await setUpOwner(page, OWNER);
    await page.getByTestId('no-boards').waitFor();
    await shot(page, 's01-no-boards');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();
    await page.getByTestId('connect-network-bluesky').click();
    const form = page.getByTestId('credentials-form-bluesky');
    await form.getByTestId('field-bluesky-service').fill(bluesky.pdsUrl);
    await form.getByTestId('field-bluesky-identifier').fill(amane.handle);
    await form.getByTestId('field-bluesky-appPassword').fill(amane.password);
    await form.getByTestId('submit-bluesky').click();
    await page.locator('[data-testid="channel-row"][data-network="bluesky"]').waitFor();

    // A board with a Mentions column for A and a column for the blog by its address.
    await page.getByTestId('nav-streams').click();
    await page.getByTestId('board-create-first').click();
    await page.getByTestId('board-name').fill('Front desk');
    await page.getByTestId('board-save').click();
    await page.getByTestId('board-tab').filter({ hasText: 'Front desk' }).waitFor();
    await page.getByTestId('board-empty').waitFor();

    await page.getByTestId('add-column').click();
    await page.getByTestId('add-column-source').click();
    await page.getByRole('option', { name: new RegExp(amane.handle.replace(/\./g, '\\.')) }).click();
    await page.getByTestId('add-column-kind-mentions').click();
    await page.getByTestId('add-column-submit').click();
    await column(page, 'mentions').waitFor();

    await page.getByTestId('add-column').click();
    await page.getByTestId('add-column-source').click();
    await page.getByRole('option', { name: 'A blog or news site (feed address)' }).click();
    await page.getByTestId('add-column-feed-url').fill(feedUrl);
    await page.getByTestId('add-column-title').fill('クラウド日記');
    await page.getByTestId('add-column-submit').click();
    const feed = column(page, 'feed');
    await feed.waitFor();

    // The blog's entries arrive (first poll) with their Japanese titles intact.
    await feed.getByTestId('item-title').filter({ hasText: FEED_TITLE }).waitFor({ timeout: 60_000 });
    await feed.getByTestId('item-title').filter({ hasText: SECOND_FEED_TITLE }).waitFor();
    const titles = await feed.getByTestId('item-title').allInnerTexts();
    expect(titles.join('\n')).not.toMatch(/[\uFFFD]|ã|å|æ|ç/);
    expect(await feed.getByTestId('column-title').innerText()).toBe('クラウド日記');
    const hostile = feed.locator('[data-testid="stream-item"]').filter({ hasText: 'Hostile entry' });
    await hostile.waitFor();
    expect(await hostile.getByTestId('item-html').innerText()).toContain('Harmless words.');
    expect(await hostile.locator('script').count()).toBe(0);
    // Links from feeds open elsewhere, without handing this page over.
    for (const rel of await feed
      .locator('[data-testid="item-html"] a')
      .evaluateAll((links) => links.map((a) => `${a.getAttribute('target')} ${a.getAttribute('rel')}`))) {
      expect(rel).toBe('_blank noopener noreferrer');
    }

    // The blog's pictures load through the image proxy; the inline one shows in the text, not again under it.
    const orgId = new URL(page.url()).pathname.split('/')[2]!;
    const photo = feed.locator('[data-testid="stream-item"]').filter({ hasText: 'Photo entry' });
    await photo.waitFor();
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => allLoadedThroughProxy(photo.locator('[data-testid="item-html"] img'), orgId), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => allLoadedThroughProxy(photo.locator('[data-testid="item-media"] img'), orgId), { timeout: 30_000 }).toBe(true);
    expect(await photo.locator('[data-testid="item-html"] img').getAttribute('alt')).toBe('the roaster');
    expect(await photo.getByTestId('item-media').count()).toBe(1);
    expect(decodeURIComponent((await photo.locator('[data-testid="item-media"] img').getAttribute('src'))!)).toContain('/blog/enclosure.png');

    // Mark the page: a reload would lose this.
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const titleBefore = await page.title();

    // B mentions A; the page shows it without a reload, marked new, with the "N new" pill.
    const mentions = column(page, 'mentions');
    await mentions.getByTestId('column-empty').or(mentions.getByTestId('stream-item').first()).waitFor();
    const mentionsId = await mentions.getAttribute('data-column-id');
    const posted = await mention(bunta, amane, 'こんにちは、明日の焙煎教室はまだ空いていますか？');
    const postedAt = Date.now();
    const arrived = mentions.locator(`[data-testid="stream-item"][data-remote-id="${posted.uri}"]`);
    // When the server has stored it (its poll interval decides), asked beside the page with the same session.
    let storedAt = 0;
    await expect
      .poll(
        async () => {
          const response = await page.request.get(`/api/orgs/${orgId}/columns/${mentionsId}/items?limit=5`);
          const stored = ((await response.json()) as { items: { remoteId: string }[] }).items.some((item) => item.remoteId === posted.uri);
          if (stored && !storedAt) storedAt = Date.now();
          return stored;
        },
        { timeout: 150_000, interval: 250 },
      )
      .toBe(true);
    // Live, without a reload: an SSE-less page would never show it; the bound only catches that, generously for a busy CI machine.
    await arrived.waitFor({ timeout: 15_000 });
    const shownAt = Date.now();
    expect(await arrived.getAttribute('data-fresh')).toBe('true');
    // The mention facet (a UTF-8 byte range) is a link on exactly "@handle"; the Japanese after it stays text.
    expect(await arrived.getByTestId('item-html').innerText()).toBe(posted.text);
    expect(await arrived.locator('[data-testid="item-html"] a').innerText()).toBe(`@${amane.handle}`);
    expect(await arrived.locator('[data-testid="item-html"] a').getAttribute('href')).toContain(amane.did);
    expect(await arrived.getByTestId('item-author').innerText()).toBeTruthy();
    expect(await mentions.getByTestId('column-new-pill').innerText()).toContain('1 new');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    console.log(
      `mention stored ${storedAt - postedAt} ms after it was posted (the server's poll interval), shown ${shownAt - storedAt} ms after it was stored`,
    );
    await shot(page, 's02-board-live-mention');

    // Nothing from the feed ran.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(titleBefore);
    expect(dialogs).toEqual([]);

    // The pill takes the reader to the new items and they count as seen.
    await mentions.getByTestId('column-new-pill').click();
    await mentions.getByTestId('column-new-pill').waitFor({ state: 'detached' });
    expect(await arrived.getAttribute('data-fresh')).toBe('false');

    // Actions answer in place: mark done; contacts wait for the CRM.
    await arrived.getByTestId('item-more').click();
    await page.getByTestId('item-toggle-done').click();
    await arrived.getByTestId('item-outcome').filter({ hasText: 'Marked as done.' }).waitFor();
    expect(await arrived.getAttribute('data-done')).toBe('true');
    // The owner may save the author as a contact (test/e2e/crm.e2e.test.ts follows that through).
    expect(await arrived.getByTestId('item-add-contact').isEnabled()).toBe(true);
    // Create task: the form starts from the post's text, and the task is linked to the item.
    await arrived.getByTestId('item-more').click();
    await page.getByTestId('item-create-task').click();
    const taskTitle = page.getByTestId('item-task-title');
    await taskTitle.waitFor();
    expect(await taskTitle.inputValue()).toBe(posted.text);
    await shot(page, 's02b-item-task');
    const taskCreated = page.waitForResponse((r) => r.url().endsWith('/tasks') && r.request().method() === 'POST');
    await page.getByTestId('item-task-create').click();
    const taskResponse = await taskCreated;
    expect(taskResponse.status()).toBe(201);
    expect(((await taskResponse.json()) as { task: { itemId: string | null } }).task.itemId).toBe(await arrived.getAttribute('data-item-id'));
    await taskTitle.waitFor({ state: 'detached' });

    // A second window on the same board (a teammate's, as far as live updates go) sees the like and its undo without reloading.
    const other = await context.newPage();
    await other.goto(page.url());
    const otherLike = other
      .locator(`[data-testid="stream-item"][data-item-id="${await arrived.getAttribute('data-item-id')}"]`)
      .getByRole('button', { name: 'Like', exact: true });
    await otherLike.waitFor();
    expect(await otherLike.getAttribute('aria-pressed')).toBe('false');
    await other.locator('[data-testid="live-state"][data-state="live"]').waitFor();

    // Like goes through the connector to the PDS, as A, and says so.
    await arrived.getByTestId('item-like').click();
    await arrived.getByTestId('item-outcome').filter({ hasText: 'Liked on Bluesky.' }).waitFor();
    const likes = await fetch(`${bluesky.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(amane.did)}&collection=app.bsky.feed.like`);
    const likeRecords = ((await likes.json()) as { records: { value: { subject: { uri: string } } }[] }).records;
    expect(likeRecords.map((r) => r.value.subject.uri)).toEqual([posted.uri]);
    // The button shows it pressed; pressing it again takes the like back on the PDS.
    const likeButton = arrived.getByRole('button', { name: 'Like', exact: true });
    expect(await likeButton.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => otherLike.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
    await likeButton.click();
    await arrived.getByTestId('item-outcome').filter({ hasText: 'Like taken back on Bluesky.' }).waitFor();
    expect(await likeButton.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => otherLike.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('false');
    await other.close();
    const afterUndo = await fetch(`${bluesky.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(amane.did)}&collection=app.bsky.feed.like`);
    expect(((await afterUndo.json()) as { records: unknown[] }).records).toEqual([]);

    // Mark all as read: the unread count goes away.
    expect(await mentions.getByTestId('column-unread').innerText()).toBe('1');
    await mentions.getByTestId('column-menu').click();
    await page.getByTestId('column-mark-read').click();
    await mentions.getByTestId('column-unread').waitFor({ state: 'detached' });
    expect(await arrived.getAttribute('data-read')).toBe('true');

    // Search across everything: a two-character Japanese word finds the blog entry.
    await page.getByTestId('stream-search').fill('障害');
    await page.getByTestId('stream-search-submit').click();
    const results = page.getByTestId('search-column');
    await results.getByTestId('item-title').filter({ hasText: FEED_TITLE }).waitFor();
    await shot(page, 's03-search-japanese-word');
    await results.getByTestId('search-close').click();

    // Columns: a wider Mentions column, then the blog dragged in front of it by its header.
    await mentions.getByTestId('column-menu').click();
    await page.getByTestId('column-width-wide').click();
    await page.locator('[data-testid="stream-column"][data-kind="mentions"][data-width="wide"]').waitFor();
    const reordered = page.waitForResponse((r) => r.url().endsWith('/column-order') && r.request().method() === 'PUT');
    await feed.getByTestId('column-header').dragTo(mentions, { targetPosition: { x: 20, y: 200 } });
    expect((await reordered).status()).toBe(200);
    await expect
      .poll(() => page.getByTestId('stream-column').evaluateAll((columns) => columns.map((c) => c.getAttribute('data-kind'))))
      .toEqual(['feed', 'mentions']);
    // The same move from the column's menu, without a mouse drag.
    await feed.getByTestId('column-menu').click();
    expect(await page.getByTestId('column-move-left').isDisabled()).toBe(true);
    await page.getByTestId('column-move-right').click();
    await expect
      .poll(() => page.getByTestId('stream-column').evaluateAll((columns) => columns.map((c) => c.getAttribute('data-kind'))))
      .toEqual(['mentions', 'feed']);

    // A filter leaving out a word empties the Mentions column, in words.
    await mentions.getByTestId('column-filters').click();
    // From-contacts can be switched on now that contacts exist (test/e2e/crm.e2e.test.ts uses it).
    expect(await page.getByTestId('filter-contacts').isEnabled()).toBe(true);
    await page.getByTestId('filter-exclude').fill('焙煎教室');
    await page.keyboard.press('Enter');
    await page.getByTestId('filter-save').click();
    await mentions.getByTestId('column-empty').filter({ hasText: "No posts match this column's filters." }).waitFor();
    expect(await mentions.getByTestId('column-filters').getAttribute('data-active')).toBe('1');
    await shot(page, 's04-reordered-filtered');
    await mentions.getByTestId('column-filters').click();
    await page.getByTestId('filter-exclude').click();
    await page.keyboard.press('Backspace');
    await page.getByTestId('filter-save').click();
    await arrived.waitFor();

    // Reply in place: a box under the item, sent from A, and a report per network when it is out.
    await arrived.getByTestId('item-reply').click();
    const replyBox = arrived.getByTestId('reply-box');
    await replyBox.getByTestId('reply-text').fill('はい、まだ空いています。');
    await replyBox.getByTestId('reply-send').click();
    const replied = replyBox.locator('[data-testid="send-report-target"][data-network="bluesky"][data-state="published"]');
    await replied.waitFor({ timeout: 60_000 });
    expect(await replied.innerText()).toContain('Posted to Bluesky');
    // The local PDS is outside Bluesky's main network: the reply has an at-uri, which no browser opens, so no link.
    expect(await replied.getByTestId('send-report-view').count()).toBe(0);
    expect(await replyBox.getByTestId('reply-text').inputValue()).toBe('');
    const replies = await fetch(`${bluesky.pdsUrl}/xrpc/com.atproto.repo.listRecords?repo=${encodeURIComponent(amane.did)}&collection=app.bsky.feed.post`);
    const replyRecords = ((await replies.json()) as { records: { value: { text: string; reply?: { parent: { uri: string } } } }[] }).records;
    expect(replyRecords.map((r) => [r.value.text, r.value.reply?.parent.uri])).toEqual([['はい、まだ空いています。', posted.uri]]);
    await shot(page, 's05-reply-in-place');
    await replyBox.getByTestId('reply-cancel').click();

    // Quote opens the composer as a quote from A.
    await arrived.getByTestId('item-quote').click();
    await page.waitForURL(/\/publish$/);
    const reference = page.getByTestId('composer-reference');
    await reference.waitFor();
    expect(await reference.getAttribute('data-kind')).toBe('quote');
    expect(await reference.getAttribute('data-remote-id')).toBe(posted.uri);
    expect(await page.locator('[data-testid="account-chip"][data-network="bluesky"] input').isChecked()).toBe(true);
    // A picked picture previews at once: a blob: URL, which the page's CSP must let through (a refusal is a console error, a problem).
    await page.getByTestId('composer-image-input').setInputFiles({ name: 'roast.png', mimeType: 'image/png', buffer: PNG });
    const preview = page.locator('[data-testid="composer-image"] img');
    await expect
      .poll(
        () =>
          preview.evaluate(
            (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0 && img.getAttribute('src')!.startsWith('blob:'),
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    await shot(page, 's05-composer-quote');
    // After the send, the composer is a clean new post: no quote banner, no accounts, no red, and the report says where it went.
    await page.getByTestId('composer-text').fill('焙煎教室のお知らせ');
    await page.getByTestId('composer-image-alt').fill('焙煎機');
    await page.getByTestId('action-publish-now').click();
    await page.locator('[data-testid="composer-sent"] [data-testid="send-report-target"][data-state="published"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('composer-reference').count()).toBe(0);
    expect(await page.getByTestId('composer-text').inputValue()).toBe('');
    expect(await page.getByTestId('composer-blocked').count()).toBe(0);
    expect(await page.locator('[data-testid="account-chip"] input:checked').count()).toBe(0);
    await page.reload();
    await page.getByTestId('composer').waitFor();
    expect(await page.getByTestId('composer-reference').count()).toBe(0);
    await shot(page, 's05-composer-after-send');

    // The same board in Japanese.
    await page.getByTestId('nav-streams').click();
    await page.getByTestId('language-picker').selectOption('ja');
    await page.getByRole('heading', { name: 'ストリーム', exact: true }).waitFor();
    await column(page, 'feed').getByTestId('item-title').filter({ hasText: FEED_TITLE }).waitFor();
    await page.getByTestId('add-column').waitFor();
    expect(await page.getByTestId('add-column').innerText()).toContain('列を追加');
    await shot(page, 's06-board-japanese');
    await page.getByTestId('add-column').click();
    await page.getByTestId('add-column-form').waitFor();
    await shot(page, 's07-add-column-japanese');
    await page.keyboard.press('Escape');

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await context.close();
    expect(app.problems).toEqual([]);
  });
});
