import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractServer, type ContractServer, type RecordedRequest } from '../support/contract-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * Facebook Pages and Instagram in a real Chromium, against one local server answering with the
 * Graph API's documented shapes (Meta cannot be reached from here): connect a Page whose token
 * ends in ten days (given as debug_token's `expires_at` seconds) and an Instagram account whose
 * token already ended, see each one's expiry badge and the reconnect offered first, and publish
 * one Japanese post to the Page from the composer with Publish clicked twice: Meta gets it once;
 * then the badges again in Japanese.
 * Needs `npm run build` and a Chromium.
 */

const PAGE_ID = '104857600123456';
const IG = '17841400000000002';
const APP_SECRET = 'abcdef0123456789abcdef0123456789';
const TEXT = '年末の営業時間のお知らせ：12月31日は15時まで営業します。';
const DAY = 24 * 60 * 60_000;

let app: E2eSession;
let graph: ContractServer;
const pagePosts: RecordedRequest[] = [];

beforeAll(async () => {
  graph = await startContractServer({
    [`GET /v21.0/${PAGE_ID}`]: () => ({ json: { id: PAGE_ID, name: 'ACME ベーカリー', username: 'acmebakery', link: 'https://www.facebook.com/acmebakery' } }),
    [`POST /v21.0/${PAGE_ID}/feed`]: (request) => {
      pagePosts.push(request);
      return { json: { id: `${PAGE_ID}_${pagePosts.length}` } };
    },
    // What a retry would look through for an earlier copy: the Page's posts so far.
    [`GET /v21.0/${PAGE_ID}/posts`]: () => ({
      json: {
        data: pagePosts.map((p, i) => ({
          id: `${PAGE_ID}_${i + 1}`,
          message: p.form?.get('message'),
          created_time: new Date().toISOString(),
          from: { id: PAGE_ID },
        })),
        paging: {},
      },
    }),
    [`GET /v21.0/${IG}`]: () => ({ json: { id: IG, username: 'acme.bakery', name: 'ACME Instagram' } }),
    // The streams' reads of either account: nothing posted there yet.
    'GET /v21.0/:id/:edge': () => ({ json: { data: [], paging: {} } }),
  });
  app = await startE2eSession({ name: 'meta', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' } });
});

afterAll(async () => {
  await app?.close();
  await graph?.close();
});

describe('Facebook Pages and Instagram in Chromium', () => {
  it('connects both, shows when their tokens end, and publishes one post to the Page once', { timeout: 300_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();

    await page.getByTestId('connect-network-facebook').click();
    await page.getByTestId('field-facebook-pageId').fill(PAGE_ID);
    await page.getByTestId('field-facebook-pageAccessToken').fill('EAAPage'.padEnd(80, 'p'));
    await page.getByTestId('field-facebook-appSecret').fill(APP_SECRET);
    // Meta's access token debugger says "expires_at" in Unix seconds; a few minutes under ten days.
    await page.getByTestId('field-facebook-tokenExpiresAt').fill(String(Math.floor((Date.now() + 10 * DAY - 5 * 60_000) / 1000)));
    await page.getByTestId('advanced-facebook').click();
    await page.getByTestId('field-facebook-apiBase').fill(graph.url);
    await page.getByTestId('submit-facebook').click();
    const facebookRow = page.locator('[data-testid="channel-row"][data-network="facebook"]');
    await facebookRow.waitFor();

    await page.getByTestId('connect-network-instagram').click();
    await page.getByTestId('field-instagram-igUserId').fill(IG);
    await page.getByTestId('field-instagram-accessToken').fill('EAAInsta'.padEnd(80, 'i'));
    await page.getByTestId('field-instagram-appSecret').fill(APP_SECRET);
    await page.getByTestId('field-instagram-tokenExpiresAt').fill(new Date(Date.now() - DAY).toISOString());
    await page.getByTestId('advanced-instagram').click();
    await page.getByTestId('field-instagram-apiBase').fill(graph.url);
    await page.getByTestId('submit-instagram').click();
    const instagramRow = page.locator('[data-testid="channel-row"][data-network="instagram"]');
    await instagramRow.waitFor();

    const facebookBadge = facebookRow.getByTestId('token-expiry');
    expect(await facebookBadge.getAttribute('data-state')).toBe('soon');
    expect(await facebookBadge.textContent()).toBe('Token expires in 10 days');
    const instagramBadge = instagramRow.getByTestId('token-expiry');
    expect(await instagramBadge.getAttribute('data-state')).toBe('expired');
    expect(await instagramBadge.textContent()).toBe('Token expired - reconnect');
    // The reconnect action of a refused token is the one offered: it opens the form with the account filled in.
    await instagramRow.getByTestId('channel-reconnect').click();
    expect(await instagramRow.getByTestId('field-instagram-igUserId').inputValue()).toBe(IG);
    await screenshot(page, 'meta-token-expiry');

    await page.getByTestId('nav-publish').click();
    await page.getByTestId('composer').waitFor();
    await page.locator('[data-testid="account-chip"][data-network="facebook"]').click();
    await page.getByTestId('composer-text').fill(TEXT);
    await page.getByTestId('action-publish-now').dblclick();

    const target = page.locator('[data-testid="send-report-target"][data-network="facebook"]');
    await expect.poll(() => target.getAttribute('data-state'), { timeout: 60_000, interval: 500 }).toBe('published');
    expect(await page.getByTestId('send-report-target').count()).toBe(1);
    expect(pagePosts.map((p) => p.form?.get('message'))).toEqual([TEXT]);
    await screenshot(page, 'meta-published');

    // The same badges in Japanese.
    await page.getByTestId('language-picker').selectOption('ja');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();
    await expect.poll(() => instagramRow.getByTestId('token-expiry').textContent()).toBe('トークン期限切れ - 再接続してください');
    expect(await facebookRow.getByTestId('token-expiry').textContent()).toBe('トークンの期限まであと 10 日');
    await screenshot(page, 'meta-token-expiry-ja');
    expect(app.problems).toEqual([]);
  });
});
