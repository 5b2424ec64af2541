import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedItem } from '../../src/channels/connector.js';
import { CredentialsCipher } from '../../src/channels/credentials-cipher.js';
import { newId } from '../../src/lib/ids.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { storeIngestedBatch } from '../../src/streams/ingest.js';
import { storedAccountRow } from '../inbox/support.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * A Mastodon direct status on the board, in a real Chromium: its reply box says the answer is
 * private and counts the @mention Mastodon needs in front (a direct status reaches only whom it
 * names), so a reply that fits alone but not with it cannot be sent; a public mention's box counts
 * the text alone. The direct item offers a favourite but no boost and no quote. No Mastodon server
 * runs here: the account row and its two statuses are stored as the worker's ingest would store
 * them, and nothing is sent. Needs `npm run build` and a Chromium.
 */

const SECRET = 'private-reply-e2e-secret-key-0123456789';

let app: E2eSession;
let store: Store;

beforeAll(async () => {
  app = await startE2eSession({ name: 'private-reply', env: { CHORUS_NO_WORKER: 'true', CHORUS_SECRET_KEY: SECRET } });
  store = openStore(`sqlite:${app.server.dataDir}/chorus.db`);
}, 120_000);

afterAll(async () => {
  await store?.close();
  await app?.close();
});

/** A Mastodon status from `acct` as the connector hands it over. */
function status(acct: string, text: string, remoteId: string, isDirect: boolean): NormalizedItem {
  return {
    network: 'mastodon',
    remoteId,
    url: null,
    author: { remoteId: `id-${remoteId}`, handle: acct, displayName: acct.split('@')[0]! },
    text,
    html: null,
    links: [],
    media: [],
    replyToRemoteId: null,
    quoteOfRemoteId: null,
    createdAt: new Date().toISOString(),
    language: null,
    metrics: null,
    isDirect,
  };
}

/** A board with one Mastodon Mentions column holding a direct status and a public mention. */
async function boardWithMastodonMentions(request: APIRequestContext): Promise<void> {
  const session = await (await request.get('/api/session')).json();
  const orgId = session.orgs[0].id as string;
  const headers = { 'x-csrf-token': session.csrfToken as string };
  const channelAccountId = newId();
  // Sealed with the server's key, as connecting would: adding a column opens them. Nothing is sent with them.
  const credentials = new CredentialsCipher(SECRET).seal({ instanceUrl: 'https://mastodon.example', accessToken: 'never-used' }, channelAccountId);
  await storedAccountRow(store.db, orgId, {
    id: channelAccountId,
    network: 'mastodon',
    handle: 'shop@mastodon.example',
    displayName: 'Shop on Mastodon',
    remoteId: '1',
    credentials,
  });
  const created = async (url: string, data: unknown) => {
    const response = await request.post(`/api/orgs/${orgId}${url}`, { data, headers });
    expect(response.status(), `${url}: ${await response.text()}`).toBe(201);
    return response.json();
  };
  const { board } = await created('/boards', { name: 'Front desk' });
  const { column } = await created(`/boards/${board.id}/columns`, { kind: 'mentions', channelAccountId });
  await storeIngestedBatch(store.db, {
    orgId,
    channelAccountId,
    items: [status('kaito@other.example', 'Are you open on Saturday?', '9001', true), status('mia@other.example', '@shop Loved the new blend', '9002', false)],
    columnIds: [column.id],
    fetchedAt: new Date().toISOString(),
  });
}

const itemOf = (page: Page, remoteId: string) => page.locator(`[data-testid="stream-item"][data-remote-id="${remoteId}"]`);

describe('a private reply on the board', () => {
  it('is labelled private, counts the mention Mastodon adds, and offers no boost or quote', { timeout: 120_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await boardWithMastodonMentions(page.request);
    // The board was made behind the page's back: load the app again to see it.
    await page.reload();
    await page.getByTestId('nav-streams').click();
    const direct = itemOf(page, '9001');
    const mention = itemOf(page, '9002');
    await direct.waitFor();
    await mention.waitFor();

    // A direct status takes a favourite, not a boost; a quote would publish it.
    expect(await direct.getByTestId('item-like').count()).toBe(1);
    expect(await direct.getByTestId('item-repost').count()).toBe(0);
    expect(await direct.getByTestId('item-quote').count()).toBe(0);
    expect(await mention.getByTestId('item-repost').count()).toBe(1);
    expect(await mention.getByTestId('item-quote').count()).toBe(1);

    await direct.getByTestId('item-reply').click();
    const box = direct.getByTestId('reply-box');
    const text = box.getByTestId('reply-text');
    expect(await text.getAttribute('aria-label')).toBe('Reply privately to kaito');
    expect(await box.getByTestId('reply-private-note').innerText()).toBe('Private: only kaito@other.example will see this reply.');
    // Nothing written yet is nothing to send: the mention alone is not counted.
    expect(await box.getByTestId('reply-counter').innerText()).toBe('0 / 500');
    expect(await box.getByTestId('reply-send').isEnabled()).toBe(false);
    // "@kaito " goes in front: Mastodon counts a remote mention as its local part, 7 characters.
    await text.fill('Yes, from 9 to 5.');
    expect(await box.getByTestId('reply-counter').innerText()).toBe('24 / 500');
    expect(await box.getByTestId('reply-send').isEnabled()).toBe(true);
    await text.fill('a'.repeat(494));
    expect(await box.getByTestId('reply-counter').innerText()).toBe('501 / 500');
    expect(await box.getByTestId('reply-send').isEnabled()).toBe(false);
    // Naming the person already adds nothing.
    await text.fill(`@kaito@other.example ${'a'.repeat(493)}`);
    expect(await box.getByTestId('reply-counter').innerText()).toBe('500 / 500');
    expect(await box.getByTestId('reply-send').isEnabled()).toBe(true);
    await text.fill('Yes, from 9 to 5.');
    await screenshot(page, 'pr01-private-reply');

    // The public mention's box counts the text alone and is not private.
    await mention.getByTestId('item-reply').click();
    const publicBox = mention.getByTestId('reply-box');
    expect(await publicBox.getByTestId('reply-text').getAttribute('aria-label')).toBe('Reply to mia');
    expect(await publicBox.getByTestId('reply-private-note').count()).toBe(0);
    await publicBox.getByTestId('reply-text').fill('Yes, from 9 to 5.');
    expect(await publicBox.getByTestId('reply-counter').innerText()).toBe('17 / 500');
    await publicBox.getByTestId('reply-cancel').click();

    // In Japanese on a phone: the label is translated and nothing is wider than the screen.
    await page.getByTestId('language-picker').selectOption('ja');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => text.getAttribute('aria-label')).toBe('kaito さんに非公開で返信');
    expect(await box.getByTestId('reply-private-note').innerText()).toBe('非公開: この返信は kaito@other.example さんにだけ届きます。');
    // Opening the reply read the item; what that said is reworded in the new language.
    expect(await direct.getByTestId('item-outcome').innerText()).toBe('既読にしました。');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await direct.scrollIntoViewIfNeeded();
    await screenshot(page, 'pr02-private-reply-ja-390', { fullPage: false, fromTop: false });
    // The board swipes one column at a time: the add-column card waits beside the column, not over it.
    const columnBox = (await page.getByTestId('stream-column').boundingBox())!;
    const addColumnBox = (await page.getByTestId('add-column').boundingBox())!;
    expect(addColumnBox.x).toBeGreaterThanOrEqual(columnBox.x + columnBox.width);
    expect(app.problems).toEqual([]);
  });
});
