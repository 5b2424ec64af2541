import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractServer, type ContractServer, type Reply } from '../support/contract-server.js';
import { startE2eSession, type E2eSession } from './support/e2e-session.js';
import { setUpOwner } from './support/first-run.js';
import { OWNER } from './support/people.js';
import { screenshot } from './support/screenshots.js';

/**
 * A LINE Official Account in a real Chromium, against a local server answering with the
 * Messaging API's documented shapes (LINE cannot be reached from here): connect it in Settings →
 * Channels, copy its webhook address, receive a signed chat delivery there, read it in a column,
 * see the month's message quota in the composer and broadcast a Japanese post, once.
 * Needs `npm run build` and a Chromium.
 */

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const BOT_ID = 'Ub7777777777777777777777777777777';
const CUSTOMER = 'Uc8888888888888888888888888888888';
const BROADCAST = '新しいパンが焼き上がりました。本日18時まで！';

let app: E2eSession;
let line: ContractServer;
const broadcasts: unknown[] = [];

beforeAll(async () => {
  const accepted = new Set<string>();
  line = await startContractServer({
    'GET /v2/bot/info': () => ({ json: { userId: BOT_ID, basicId: '@acmepan', displayName: 'ACME ベーカリー', chatMode: 'chat', markAsReadMode: 'auto' } }),
    'GET /v2/bot/profile/:userId': () => ({ json: { userId: CUSTOMER, displayName: '山田花子' } }),
    'GET /v2/bot/message/quota': () => ({ json: { type: 'limited', value: 200 } }),
    'GET /v2/bot/message/quota/consumption': () => ({ json: { totalUsage: 57 } }),
    'POST /v2/bot/message/broadcast': (request): Reply => {
      const key = String(request.headers['x-line-retry-key']);
      if (accepted.has(key)) return { status: 409, json: { message: 'The retry key is already accepted' }, headers: { 'x-line-accepted-request-id': 'req-1' } };
      accepted.add(key);
      broadcasts.push(request.json);
      return { json: {}, headers: { 'x-line-request-id': `req-${accepted.size}` } };
    },
  });
  app = await startE2eSession({ name: 'line', env: { CHORUS_ALLOW_PRIVATE_NETWORK: 'true' } });
});

afterAll(async () => {
  await app?.close();
  await line?.close();
});

describe('a LINE Official Account in Chromium', () => {
  it('connects, receives a chat by webhook into a column, and broadcasts once within the quota', { timeout: 300_000 }, async () => {
    const { page } = await app.newPage('owner');
    await setUpOwner(page, OWNER);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-channels').click();
    await page.getByTestId('connect-network-line').click();
    await page.getByTestId('field-line-channelAccessToken').fill('line-channel-access-token-'.padEnd(80, 'q'));
    await page.getByTestId('field-line-channelSecret').fill(SECRET);
    await page.getByTestId('advanced-line').click();
    await page.getByTestId('field-line-apiBase').fill(line.url);
    await page.getByTestId('submit-line').click();
    const row = page.locator('[data-testid="channel-row"][data-network="line"]');
    await row.waitFor();
    const webhook = await row.getByTestId('line-webhook-address').inputValue();
    expect(webhook).toMatch(new RegExp(`^${app.baseUrl}/webhooks/line/[^/]+$`));
    await screenshot(page, 'line-channel-connected');

    // LINE delivers a customer's chat, signed with the channel secret.
    const body = JSON.stringify({
      destination: BOT_ID,
      events: [
        {
          type: 'message',
          mode: 'active',
          timestamp: Date.now(),
          webhookEventId: '01JLINEE2E0001',
          deliveryContext: { isRedelivery: false },
          source: { type: 'user', userId: CUSTOMER },
          replyToken: 'r',
          message: { id: '5551', type: 'text', quoteToken: 'q', text: '明日の予約はできますか？' },
        },
      ],
    });
    const delivered = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': createHmac('sha256', SECRET).update(body).digest('base64') },
      body,
    });
    expect(delivered.status).toBe(200);

    await page.getByTestId('nav-streams').click();
    await page.getByTestId('board-create-first').click();
    await page.getByTestId('board-name').fill('LINE');
    await page.getByTestId('board-save').click();
    await page.getByTestId('board-tab').filter({ hasText: 'LINE' }).waitFor();
    await page.getByTestId('add-column').click();
    await page.getByTestId('add-column-source').click();
    await page.getByRole('option', { name: 'ACME ベーカリー' }).click();
    await page.getByTestId('add-column-submit').click();
    const column = page.locator('[data-testid="stream-column"][data-kind="messages"]');
    const chat = column.locator('[data-testid="stream-item"]').filter({ hasText: '明日の予約はできますか？' });
    await chat.waitFor({ timeout: 120_000 });
    expect(await chat.innerText()).toContain('山田花子');
    await screenshot(page, 'line-messages-column', { fullPage: false });

    await page.getByTestId('nav-publish').click();
    await page.getByTestId('composer').waitFor();
    await page.locator('[data-testid="account-chip"][data-network="line"]').click();
    await page.getByTestId('sending-quota').waitFor();
    expect(await page.getByTestId('sending-quota').innerText()).toContain('ACME ベーカリー: 57 of 200 messages used this month');
    await page.getByTestId('composer-text').fill(BROADCAST);
    await screenshot(page, 'line-composer-quota');
    await page.getByTestId('action-publish-now').dblclick();
    await expect.poll(() => broadcasts.length, { timeout: 60_000, interval: 500 }).toBe(1);
    expect(broadcasts).toEqual([{ messages: [{ type: 'text', text: BROADCAST }] }]);
    expect(app.problems).toEqual([]);
  });
});
